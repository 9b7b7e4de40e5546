// SPDX-License-Identifier: MIT
// Every builder form the docs recommend inside coroutines compiles inside co_await expressions
// on GCC 12 (which rejects any braced list there); the coroutine only has to compile.
#include <gtest/gtest.h>

#include <uvmysql/engine.hpp>

namespace uvmysql {
namespace {

namespace sa = sql;

Task<> every_form(EngineConnection conn, sa::Table t, Engine engine) {
    const sa::Column& id = t.c("id");
    const sa::Column& val = t.c("val");
    co_await conn.execute(t.insert().values("id", 1, "val", "abc"));
    co_await conn.execute(t.insert().values(named("id", 2, "val", "x")));
    co_await conn.execute(t.insert(), named("id", 3, "val", "y"));
    co_await conn.execute(sa::select(id, val).where(id.in_(1, 2) && val.like("a%")).order_by(id.desc(), val).limit(5));
    co_await conn.execute(sa::select(val, sa::count().label("n")).group_by(val).having(sa::count() > 1));
    co_await conn.execute(sa::select(sa::func("COALESCE", val, "none")).where(id.not_in(7, 8)));
    co_await conn.execute(sa::select(t).select_from(t.join(t, id == id)).where(sa::and_(id > 1, id < 5)));
    co_await conn.execute(t.update().where(id == 1).values("val", "z", "id", id + 1));
    co_await conn.execute(t.delete_().where(sa::or_(id == 1, val.is_null())));
    co_await conn.execute("SELECT %s, %s", 1, "x");
    co_await conn.execute("SELECT %(a)s", named("a", 1));
    (void)co_await conn.scalar(sa::select(sa::max(id)));
    (void)co_await conn.scalar("SELECT %s", 5);
    co_await conn.execution_options(ExecutionOptions().with_stream_results()).execute(t.select());
    co_await create_all(conn, sa::MetaData());
    co_await engine.connect([](EngineConnection& c) -> Task<> { co_await c.execute("SELECT 1"); });
}

TEST(EngineCoroutineForms, Compile) {
    // Not run: there is no server in unit tests. Taking the address instantiates the coroutine.
    auto fn = &every_form;
    EXPECT_NE(fn, nullptr);
}

}  // namespace
}  // namespace uvmysql
