// SPDX-License-Identifier: GPL-2.0
// The few <utility> and <type_traits> pieces the runtime needs, for builds
// where the C++ library does not exist.
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

// Casts @value to an rvalue so that its resources can be taken.
// The object is left in a valid but unspecified state.
template <typename T>
constexpr RemoveReferenceType<T>&& move(T&& value) noexcept
{
    return static_cast<RemoveReferenceType<T>&&>(value);
}

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

// Exchanges the values of @a and @b.
// T must be move-constructible and move-assignable.
template <typename T>
constexpr void swap(T& a, T& b) noexcept
{
    T tmp = move(a);
    a = move(b);
    b = move(tmp);
}

// Stores @value in @target and returns what was there before.
// T must be move-constructible and assignable from U.
template <typename T, typename U = T>
constexpr T exchange(T& target, U&& value) noexcept
{
    T old = move(target);
    target = forward<U>(value);
    return old;
}

// The smaller of two values; @a when they are equal.
// Returns a copy, so temporaries are safe to pass.
template <typename T>
constexpr T min(T a, T b) noexcept
{
    return b < a ? b : a;
}

// The larger of two values; @a when they are equal.
// Returns a copy, so temporaries are safe to pass.
template <typename T>
constexpr T max(T a, T b) noexcept
{
    return a < b ? b : a;
}

} // namespace cxxrt
