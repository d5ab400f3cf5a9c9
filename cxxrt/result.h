// SPDX-License-Identifier: GPL-2.0
// Error and Result<T>: fallible operations return a value or a kernel errno,
// and callers propagate failures with TRY().
#pragma once

#include "errno.h"
#include "new.h"

namespace cxxrt {

// A failure, carried as the negative errno a kernel function would return.
class Error {
public:
    // Makes the error for a positive errno constant such as ENOMEM.
    // The stored code is its negation, ready to be returned to C.
    static constexpr Error from_errno(int errno_value) { return Error(-errno_value); }

    // The negative errno, as kernel functions return it.
    // Never 0: a Result without error has no Error.
    constexpr int code() const { return code_; }

private:
    constexpr explicit Error(int code) : code_(code) {}

    int code_;
};

// A value of type T or an Error. T must be trivially copyable: owning
// objects travel as pointers and are released explicitly.
template <typename T>
class [[nodiscard]] Result {
    static_assert(__is_trivially_copyable(T), "Result holds plain values only");

public:
    constexpr Result(T value) : value_(value), has_value_(true) {}
    constexpr Result(Error error) : error_(error), has_value_(false) {}

    // Whether this holds an error rather than a value.
    // Check it before value() or error().
    constexpr bool is_error() const { return !has_value_; }

    // The value; only valid when is_error() is false.
    // Returned by copy: T is a plain value.
    constexpr T value() const { return value_; }
    constexpr T release_value() const { return value_; }

    // The error; only valid when is_error() is true.
    // Its code() is a negative errno.
    constexpr Error error() const { return error_; }

    // 0 when holding a value, else the negative errno.
    // For returning across the C boundary.
    constexpr int to_errno() const { return has_value_ ? 0 : error_.code(); }

private:
    union {
        T value_;
        Error error_;
    };
    bool has_value_;
};

// Success without a value, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    constexpr Result() : code_(0) {}
    constexpr Result(Error error) : code_(error.code()) {}

    // What a C function returned: 0 or a negative errno.
    static constexpr Result from_return_code(int code) { return Result(code, 0); }

    // Whether this holds an error.
    // Check it before error().
    constexpr bool is_error() const { return code_ != 0; }

    // The error; only valid when is_error() is true.
    // Its code() is a negative errno.
    constexpr Error error() const { return Error::from_errno(-code_); }

    // Nothing to release: lets TRY() treat every Result alike.
    // Compiles to nothing.
    constexpr void release_value() const {}

    // 0 on success, else the negative errno.
    // For returning across the C boundary.
    constexpr int to_errno() const { return code_; }

private:
    constexpr Result(int code, int) : code_(code) {}

    int code_;
};

} // namespace cxxrt

// Evaluates @expression (a Result); on error returns that error from the
// calling function, else yields the value. A GNU statement expression.
#define TRY(expression)                                                                            \
    ({                                                                                             \
        auto _cxxrt_result = (expression);                                                         \
        if (_cxxrt_result.is_error())                                                              \
            return _cxxrt_result.error();                                                          \
        _cxxrt_result.release_value();                                                             \
    })
