// SPDX-License-Identifier: MIT
// The umbrella header: everything a uvmysql user needs.
#pragma once

#include "uvmysql/column.hpp"
#include "uvmysql/connection.hpp"
#include "uvmysql/converters.hpp"
#include "uvmysql/cursor.hpp"
#include "uvmysql/error.hpp"
#include "uvmysql/future.hpp"
#include "uvmysql/log.hpp"
#include "uvmysql/options.hpp"
#include "uvmysql/params.hpp"
#include "uvmysql/pool.hpp"
#include "uvmysql/pool_options.hpp"
#include "uvmysql/pool_stats.hpp"
#include "uvmysql/row.hpp"
#include "uvmysql/row_traits.hpp"
#include "uvmysql/ss_cursor.hpp"
#include "uvmysql/task.hpp"
#include "uvmysql/transaction.hpp"
#include "uvmysql/temporal.hpp"
#include "uvmysql/value.hpp"
#include "uvmysql/version.hpp"
