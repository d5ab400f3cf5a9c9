// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libcnxx.hpp - header-only C++17 wrapper of libcnxx: a socket that closes
 * itself, a range over the records of a payload, proc files as vectors.
 * Errors are negative errnos, as in the C API; nothing throws except
 * std::bad_alloc from the vectors and strings.
 */
#ifndef CNXX_LIBCNXX_HPP
#define CNXX_LIBCNXX_HPP

#include <cnxx/libcnxx.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace libcnxx {

/* A NETLINK_CONNECTOR socket; all calls but open() need an open socket. */
class Socket {
public:
    Socket() = default;

    /* Opens (or reopens) the socket: 0 or a negative errno. */
    int open()
    {
        cnxx_sock* s = nullptr;
        int err = cnxx_open(&s);

        if (!err)
            sock_.reset(s);
        return err;
    }

    explicit operator bool() const { return sock_ != nullptr; }
    cnxx_sock* get() const { return sock_.get(); }
    int fd() const { return cnxx_fd(sock_.get()); }
    uint32_t portid() const { return cnxx_portid(sock_.get()); }

    int join(uint32_t group) { return cnxx_join(sock_.get(), group); }
    int leave(uint32_t group) { return cnxx_leave(sock_.get(), group); }

    int send(const cnxx_record& rec, unsigned int opts = 0)
    {
        return cnxx_send(sock_.get(), &rec, opts);
    }
    int send_raw(uint32_t portid, const void* buf, size_t len)
    {
        return cnxx_send_raw(sock_.get(), portid, buf, len);
    }
    int wait_ack(uint32_t seq, int timeout_ms, int& ack_err)
    {
        return cnxx_wait_ack(sock_.get(), seq, timeout_ms, &ack_err);
    }
    int send_sync(const cnxx_record& rec, int timeout_ms, int& ack_err)
    {
        return cnxx_send_sync(sock_.get(), &rec, timeout_ms, &ack_err);
    }
    /* @msg points into this socket until its next receiving call. */
    int recv(cnxx_msg& msg, int timeout_ms) { return cnxx_recv(sock_.get(), &msg, timeout_ms); }
    int request(const cnxx_record& req, int timeout_ms, cnxx_msg& reply)
    {
        return cnxx_request(sock_.get(), &req, timeout_ms, &reply);
    }
    int notify_send(const std::vector<cnxx_range>& idx, const std::vector<cnxx_range>& val,
        uint32_t group, unsigned int opts, uint32_t* seq = nullptr)
    {
        return cnxx_notify_send(
            sock_.get(), idx.data(), idx.size(), val.data(), val.size(), group, opts, seq);
    }
    int notify_add(const std::vector<cnxx_range>& idx, const std::vector<cnxx_range>& val,
        uint32_t group, int timeout_ms, int& ack_err)
    {
        return cnxx_notify_add(sock_.get(), idx.data(), idx.size(), val.data(), val.size(), group,
            timeout_ms, &ack_err);
    }
    int notify_remove(const std::vector<cnxx_range>& idx, const std::vector<cnxx_range>& val,
        int timeout_ms, int& ack_err)
    {
        return cnxx_notify_remove(
            sock_.get(), idx.data(), idx.size(), val.data(), val.size(), timeout_ms, &ack_err);
    }
    int proc_listen(uint32_t events, int timeout_ms, cnxx_proc_filtering* filtering = nullptr)
    {
        return cnxx_proc_listen(sock_.get(), events, timeout_ms, filtering);
    }
    int proc_ignore() { return cnxx_proc_ignore(sock_.get()); }
    int proc_recv(uint32_t events, cnxx_proc_event& ev, int timeout_ms)
    {
        return cnxx_proc_recv(sock_.get(), events, &ev, timeout_ms);
    }
    int proc_recv(uint32_t events, cnxx_proc_event& ev, cnxx_proc_seq* seq, int timeout_ms)
    {
        return cnxx_proc_recv_seq(sock_.get(), events, &ev, seq, timeout_ms);
    }

private:
    struct Closer {
        void operator()(cnxx_sock* s) const { cnxx_close(s); }
    };
    std::unique_ptr<cnxx_sock, Closer> sock_;
};

/*
 * The records of a payload, for range-for. Iteration stops at the first
 * malformed record; error() tells whether there is one.
 */
class Records {
public:
    Records(const void* payload, size_t size) : payload_(payload), size_(size) {}
    explicit Records(const cnxx_msg& msg) : Records(msg.payload, msg.payload_len) {}

    class iterator {
    public:
        iterator() = default;
        iterator(const void* payload, size_t size) : payload_(payload), size_(size) { advance(); }

        const cnxx_record& operator*() const { return rec_; }
        const cnxx_record* operator->() const { return &rec_; }
        iterator& operator++()
        {
            advance();
            return *this;
        }
        bool operator==(const iterator& o) const
        {
            return done_ == o.done_ && (done_ || off_ == o.off_);
        }
        bool operator!=(const iterator& o) const { return !(*this == o); }

    private:
        void advance() { done_ = cnxx_record_next(payload_, size_, &off_, &rec_) != 1; }

        const void* payload_ = nullptr;
        size_t size_ = 0;
        size_t off_ = 0;
        cnxx_record rec_{};
        bool done_ = true;
    };

    iterator begin() const { return iterator(payload_, size_); }
    iterator end() const { return iterator(); }

    /* 0 when the payload is whole records, else -EBADMSG. */
    int error() const
    {
        cnxx_record rec;
        size_t off = 0;
        int ret;

        while ((ret = cnxx_record_next(payload_, size_, &off, &rec)) == 1)
            ;
        return ret;
    }

private:
    const void* payload_;
    size_t size_;
};

namespace detail {
struct Free {
    void operator()(void* p) const { std::free(p); }
};

/* Moves a malloc()ed C array into @out. */
template <typename T>
void adopt(T* arr, size_t count, std::vector<T>& out)
{
    std::unique_ptr<T, Free> guard(arr);

    out.assign(arr, arr + count);
}
} // namespace detail

namespace detail {
/* Runs a C parser of libcnxx over @text into @out: 0 or a negative errno. */
template <typename T>
int parse_into(int (*parse)(const char*, size_t, T**, size_t*), std::string_view text,
    std::vector<T>& out)
{
    T* arr = nullptr;
    size_t count = 0;
    int err = parse(text.data(), text.size(), &arr, &count);

    if (!err)
        adopt(arr, count, out);
    return err;
}
} // namespace detail

/* /proc/net/cnxx (or /proc/net/connector) text: 0 or a negative errno. */
inline int parse_callbacks(std::string_view text, std::vector<cnxx_cb_entry>& out)
{
    return detail::parse_into(cnxx_parse_callbacks, text, out);
}

/* /proc/net/cnxx_stats text: 0 or a negative errno. */
inline int parse_stats(std::string_view text, std::vector<cnxx_stat>& out)
{
    return detail::parse_into(cnxx_parse_stats, text, out);
}

/* A whole file: 0 or a negative errno. */
inline int read_file(const std::string& path, std::string& out)
{
    char* text = nullptr;
    size_t len = 0;
    int err = cnxx_read_file(path.c_str(), &text, &len);

    if (!err) {
        std::unique_ptr<char, detail::Free> guard(text);

        out.assign(text, len);
    }
    return err;
}

/* "ENODEV" for ENODEV or -ENODEV; nullptr when unknown. */
inline const char* errname(int err)
{
    return cnxx_errname(err);
}

} // namespace libcnxx

#endif /* CNXX_LIBCNXX_HPP */
