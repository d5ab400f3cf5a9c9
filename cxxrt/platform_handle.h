// SPDX-License-Identifier: GPL-2.0
// PlatformHandle<T, destroy>: owns one object the platform made - a mutex,
// a per-CPU counter, a work item - and gives it back with @destroy when the
// handle goes, so that no owner can forget to on some path. Platform
// constructors can fail, so creation is a separate step; the handle is
// empty until then.
#pragma once

#include "result.h"

namespace cxxrt {

template <typename T, void (*destroy)(T*)>
class PlatformHandle {
public:
    constexpr PlatformHandle() = default;
    ~PlatformHandle() { reset(); }
    PlatformHandle(const PlatformHandle&) = delete;
    PlatformHandle& operator=(const PlatformHandle&) = delete;

    // Calls @make(@args..., &object), a platform constructor that returns
    // 0 or a negative errno, and keeps the object. The handle is empty.
    template <typename Make, typename... Args>
    Result<void> create(Make make, Args... args)
    {
        return Result<void>::from_return_code(make(args..., &object_));
    }

    // Destroys the object now, if there is one; the handle is then empty.
    // @destroy accepts null, as the platform's destructors do.
    void reset()
    {
        destroy(object_);
        object_ = nullptr;
    }

    // The object, or nullptr while empty.
    T* get() const { return object_; }

private:
    T* object_ = nullptr;
};

} // namespace cxxrt
