// SPDX-License-Identifier: GPL-2.0
// forward(), the one <utility> piece the runtime needs, for builds where
// the C++ library does not exist.
#pragma once

namespace cxxrt {

template <typename T>
struct RemoveReference {
    using Type = T;
};
template <typename T>
struct RemoveReference<T&> {
    using Type = T;
};
template <typename T>
struct RemoveReference<T&&> {
    using Type = T;
};
template <typename T>
using RemoveReferenceType = typename RemoveReference<T>::Type;

// Passes @value on with the value category it was given as.
// Only meaningful on a forwarding reference parameter.
template <typename T>
constexpr T&& forward(RemoveReferenceType<T>& value) noexcept
{
    return static_cast<T&&>(value);
}
template <typename T>
constexpr T&& forward(RemoveReferenceType<T>&& value) noexcept
{
    return static_cast<T&&>(value);
}

} // namespace cxxrt
