// SPDX-License-Identifier: GPL-2.0
// The platform of cxxrt/platform.h and cnxx_abi.h on the host, real enough to catch what the
// kernel would: freed memory is really freed after a grace period (so ASan
// sees a use after free), sleeping calls inside an RCU section or a bit
// lock abort, locks of one class never nest, lock-order inversions abort.
#include "fake_platform.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <new>
#include <set>
#include <thread>
#include <utility>

// Each thread is a task; only its address matters.
struct task_struct {
    char unused;
};

namespace {

[[noreturn]] void die(const char* what)
{
    std::fprintf(stderr, "fake platform: %s\n", what);
    std::abort();
}

// --- context checks --------------------------------------------------------

thread_local int rcu_depth = 0;
thread_local int atomic_depth = 0;
thread_local std::vector<const cnxx_lock_class*> held_classes;

void might_sleep(const char* what)
{
    if (rcu_depth > 0 || atomic_depth > 0) {
        std::fprintf(stderr, "fake platform: %s in atomic context (rcu %d, atomic sections %d)\n",
            what, rcu_depth, atomic_depth);
        std::abort();
    }
}

// --- allocation -------------------------------------------------------------

std::atomic<std::int64_t> live{ 0 };
std::atomic<std::uint64_t> attempts{ 0 };
std::atomic<int> fail_countdown{ 0 };
std::atomic<bool> fail_all{ false };

bool should_fail()
{
    attempts.fetch_add(1);
    if (fail_all.load())
        return true;
    int n = fail_countdown.load();
    while (n > 0) {
        if (fail_countdown.compare_exchange_weak(n, n - 1))
            return n == 1;
    }
    return false;
}

// --- RCU --------------------------------------------------------------------
// Each thread publishes the epoch at which its outermost read section began
// (0 when outside). A grace period bumps the epoch and waits until no
// thread is in a section begun before the bump.

struct ReaderState {
    std::atomic<std::uint64_t> entered_at{ 0 };
};

std::mutex readers_mutex;
// Never destroyed: threads may unregister during static destruction.
std::set<ReaderState*>& readers()
{
    static auto* set = new std::set<ReaderState*>;
    return *set;
}
std::atomic<std::uint64_t> rcu_epoch{ 1 };

struct ReaderRegistration {
    ReaderState state;
    ReaderRegistration()
    {
        std::lock_guard<std::mutex> lock(readers_mutex);
        readers().insert(&state);
    }
    ~ReaderRegistration()
    {
        std::lock_guard<std::mutex> lock(readers_mutex);
        readers().erase(&state);
    }
};
thread_local ReaderRegistration reader;

void synchronize_rcu()
{
    const std::uint64_t epoch = rcu_epoch.fetch_add(1) + 1;
    for (;;) {
        bool busy = false;
        {
            std::lock_guard<std::mutex> lock(readers_mutex);
            for (ReaderState* state : readers()) {
                const std::uint64_t entered = state->entered_at.load();
                if (entered != 0 && entered < epoch) {
                    busy = true;
                    break;
                }
            }
        }
        if (!busy)
            return;
        std::this_thread::yield();
    }
}

// The thread of a fake kernel service (RCU callbacks, the workqueue):
// started on first use, stopped and joined when its owner goes. Its loop
// waits on @wake under @mutex and returns once stopping(). Declared after
// everything the loop uses, so that it is destroyed first.
class ServiceThread {
public:
    ServiceThread(std::mutex& mutex, std::condition_variable& wake) : mutex_(mutex), wake_(wake) {}

    // Starts @loop unless it runs already. Under the mutex.
    template <typename Loop>
    void start_locked(Loop loop)
    {
        if (!thread_.joinable())
            thread_ = std::thread(loop);
    }

    // Whether the owner is going. Under the mutex.
    bool stopping() const { return stopping_; }

    ~ServiceThread()
    {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
            wake_.notify_all();
        }
        if (thread_.joinable())
            thread_.join();
    }

private:
    std::mutex& mutex_;
    std::condition_variable& wake_;
    bool stopping_ = false;
    std::thread thread_;
};

class RcuThread {
public:
    void call(cnxx_rcu_head* head)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        thread_.start_locked([this] { run(); });
        queue_.push_back(head);
        ++queued_;
        wake_.notify_all();
    }

    void barrier()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        const std::uint64_t target = queued_;
        done_.wait(lock, [&] { return completed_ >= target; });
    }

private:
    void run()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return thread_.stopping() || !queue_.empty(); });
            if (queue_.empty() && thread_.stopping())
                return;
            std::deque<cnxx_rcu_head*> batch;
            batch.swap(queue_);
            lock.unlock();
            synchronize_rcu();
            for (cnxx_rcu_head* head : batch)
                cnxx_rcu_reclaim(head);
            lock.lock();
            completed_ += batch.size();
            done_.notify_all();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::deque<cnxx_rcu_head*> queue_;
    std::uint64_t queued_ = 0;
    std::uint64_t completed_ = 0;
    ServiceThread thread_{ mutex_, wake_ };
};

RcuThread& rcu_thread()
{
    static RcuThread thread;
    return thread;
}

// --- lock classes -----------------------------------------------------------

std::mutex order_mutex;
// (outer, inner) pairs of classes seen nested.
std::set<std::pair<const cnxx_lock_class*, const cnxx_lock_class*>> order_seen;

void check_lock_order(const cnxx_lock_class* cls)
{
    std::lock_guard<std::mutex> lock(order_mutex);
    for (const cnxx_lock_class* held : held_classes) {
        if (held == cls)
            die("two locks of one class nested");
        if (order_seen.count({ cls, held }))
            die("lock order inversion");
        order_seen.insert({ held, cls });
    }
}

// --- preemption points -----------------------------------------------------

std::atomic<bool> preemption{ false };
thread_local unsigned preemption_state = 12345;

void maybe_preempt()
{
    if (!preemption.load(std::memory_order_relaxed))
        return;
    preemption_state = preemption_state * 1103515245 + 12345;
    if ((preemption_state >> 16) % 4 == 0)
        std::this_thread::sleep_for(std::chrono::microseconds(20));
}

// --- wait/wake --------------------------------------------------------------

std::mutex wait_mutex;
std::condition_variable wait_cv;

// --- work -------------------------------------------------------------------

class Workqueue;

} // namespace

struct cnxx_lock_class {
    const char* name;
};

struct cnxx_mutex {
    std::mutex mutex;
    const cnxx_lock_class* cls;
};

struct cnxx_work {
    void (*fn)(void*);
    void* arg;
    bool pending = false;
    bool running = false;
};

namespace {

class Workqueue {
public:
    void queue(cnxx_work* work)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        thread_.start_locked([this] { run(); });
        if (work->pending)
            return;
        work->pending = true;
        queue_.push_back(work);
        changed_.notify_all();
    }

    // Flush, then forget: like cancel_work_sync() after flush_work().
    void destroy(cnxx_work* work)
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (paused_ && work->pending)
            run_queued(lock, work);
        changed_.wait(lock, [&] { return !work->pending && !work->running; });
        lock.unlock();
        delete work;
    }

    void pause(bool paused)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = paused;
        changed_.notify_all();
    }

    void run_now()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!queue_.empty())
            run_queued(lock, queue_.front());
    }

    void drain()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (paused_) {
            lock.unlock();
            run_now();
            return;
        }
        changed_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
    }

private:
    // Takes @work off the queue and runs it with @lock dropped.
    void run_queued(std::unique_lock<std::mutex>& lock, cnxx_work* work)
    {
        queue_.erase(std::find(queue_.begin(), queue_.end(), work));
        work->pending = false;
        work->running = true;
        ++running_;
        lock.unlock();
        work->fn(work->arg);
        lock.lock();
        work->running = false;
        --running_;
        changed_.notify_all();
    }

    void run()
    {
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            changed_.wait(
                lock, [&] { return thread_.stopping() || (!paused_ && !queue_.empty()); });
            if (thread_.stopping())
                return;
            run_queued(lock, queue_.front());
        }
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<cnxx_work*> queue_;
    bool paused_ = false;
    unsigned running_ = 0; // items whose function runs now
    ServiceThread thread_{ mutex_, changed_ };
};

Workqueue& workqueue()
{
    static Workqueue queue;
    return queue;
}

thread_local task_struct current_task;

// --- objects the platform hands out -----------------------------------------
// Counted with the allocations, and failing when they are told to.

template <typename T>
int make_object(T** object, const char* what)
{
    might_sleep(what);
    if (should_fail())
        return -ENOMEM;
    live.fetch_add(1);
    *object = new T;
    return 0;
}

template <typename T>
void destroy_object(T* object)
{
    if (!object)
        return;
    live.fetch_sub(1);
    delete object;
}

} // namespace

// --- cnxx_pf_* --------------------------------------------------------------

extern "C" {

void* cnxx_pf_alloc(cnxx_size_t size, enum cnxx_gfp gfp)
{
    if (gfp == CNXX_GFP_KERNEL)
        might_sleep("GFP_KERNEL allocation");
    if (should_fail())
        return nullptr;
    void* block = std::malloc(size ? size : 1);
    if (block)
        live.fetch_add(1);
    return block;
}

void cnxx_pf_free(const void* ptr)
{
    if (!ptr)
        return;
    live.fetch_sub(1);
    std::free(const_cast<void*>(ptr));
}

void* cnxx_pf_alloc_large(cnxx_size_t size)
{
    return cnxx_pf_alloc(size, CNXX_GFP_KERNEL);
}

void cnxx_pf_free_large(const void* ptr)
{
    cnxx_pf_free(ptr);
}

void cnxx_pf_call_rcu(struct cnxx_rcu_head* head)
{
    rcu_thread().call(head);
}

void cnxx_pf_lockdep_wait_calls(void)
{
    might_sleep("waiting for calls");
}

void cnxx_pf_rcu_barrier(void)
{
    might_sleep("rcu_barrier");
    rcu_thread().barrier();
}

void cnxx_pf_rcu_read_lock(void)
{
    if (rcu_depth++ == 0) {
        reader.state.entered_at.store(rcu_epoch.load());
        // Orders the announcement before every load of the section.
        std::atomic_thread_fence(std::memory_order_seq_cst);
    }
}

void cnxx_pf_rcu_read_unlock(void)
{
    if (rcu_depth <= 0)
        die("rcu_read_unlock without lock");
    if (--rcu_depth == 0)
        reader.state.entered_at.store(0);
}

struct cnxx_lock_class cnxx_registry_lock_class = { "registry" };
struct cnxx_lock_class cnxx_notify_lock_class = { "notify" };
struct cnxx_lock_class cnxx_entry_lock_class = { "entry" };

int cnxx_pf_mutex_create(struct cnxx_lock_class* lock_class, struct cnxx_mutex** mutex)
{
    const int err = make_object(mutex, "mutex_create");
    if (!err)
        (*mutex)->cls = lock_class;
    return err;
}

void cnxx_pf_mutex_destroy(struct cnxx_mutex* mutex)
{
    destroy_object(mutex);
}

void cnxx_pf_mutex_lock(struct cnxx_mutex* mutex)
{
    might_sleep("mutex_lock");
    check_lock_order(mutex->cls);
    mutex->mutex.lock();
    held_classes.push_back(mutex->cls);
}

void cnxx_pf_mutex_unlock(struct cnxx_mutex* mutex)
{
    auto it = std::find(held_classes.rbegin(), held_classes.rend(), mutex->cls);
    if (it == held_classes.rend())
        die("mutex_unlock of a mutex not held");
    held_classes.erase(std::next(it).base());
    mutex->mutex.unlock();
    maybe_preempt();
}

// A spinlock: a flag in the platform's storage, and its class. Holding one
// is an atomic section: nothing may sleep.
struct FakeSpinlock {
    std::atomic<bool> held{ false };
    const cnxx_lock_class* cls;
};
static_assert(sizeof(FakeSpinlock) <= sizeof(cnxx_spinlock));

static FakeSpinlock* fake_spinlock(struct cnxx_spinlock* lock)
{
    return reinterpret_cast<FakeSpinlock*>(lock->storage);
}

void cnxx_pf_spin_init(struct cnxx_spinlock* lock, struct cnxx_lock_class* lock_class)
{
    new (lock->storage) FakeSpinlock{ { false }, lock_class };
}

void cnxx_pf_spin_lock(struct cnxx_spinlock* lock)
{
    FakeSpinlock* spinlock = fake_spinlock(lock);
    check_lock_order(spinlock->cls);
    // A host thread holding it can be descheduled: let it run.
    while (spinlock->held.exchange(true, std::memory_order_acquire))
        std::this_thread::yield();
    held_classes.push_back(spinlock->cls);
    ++atomic_depth;
}

void cnxx_pf_spin_unlock(struct cnxx_spinlock* lock)
{
    FakeSpinlock* spinlock = fake_spinlock(lock);
    auto it = std::find(held_classes.rbegin(), held_classes.rend(), spinlock->cls);
    if (it == held_classes.rend() || atomic_depth <= 0)
        die("spin_unlock of a spinlock not held");
    held_classes.erase(std::next(it).base());
    --atomic_depth;
    spinlock->held.store(false, std::memory_order_release);
    maybe_preempt();
}

// An atomic section: an RCU read section in which nothing may sleep (the
// bit locks inside are the runtime's own, inline).
const struct task_struct* cnxx_pf_atomic_enter(void)
{
    cnxx_pf_rcu_read_lock();
    ++atomic_depth;
    return &current_task;
}

void cnxx_pf_atomic_exit(void)
{
    if (atomic_depth <= 0)
        die("atomic section exit without enter");
    --atomic_depth;
    cnxx_pf_rcu_read_unlock();
    maybe_preempt();
}

// A host thread holding a bit lock can be descheduled: let it run.
void cnxx_pf_cpu_relax(void)
{
    std::this_thread::yield();
}

const struct task_struct* cnxx_pf_current(void)
{
    return &current_task;
}

void cnxx_pf_wait(const void* key, bool (*done)(const void* arg), const void* arg)
{
    (void)key;
    might_sleep("wait_var_event");
    std::unique_lock<std::mutex> lock(wait_mutex);
    wait_cv.wait(lock, [&] { return done(arg); });
}

void cnxx_pf_wake(const void* key)
{
    (void)key;
    // Taking the mutex orders the waker's change before a waiter's check.
    std::lock_guard<std::mutex> lock(wait_mutex);
    wait_cv.notify_all();
}

int cnxx_pf_work_create(void (*fn)(void* arg), void* arg, struct cnxx_work** work)
{
    const int err = make_object(work, "work_create");
    if (!err) {
        (*work)->fn = fn;
        (*work)->arg = arg;
    }
    return err;
}

void cnxx_pf_work_queue(struct cnxx_work* work)
{
    workqueue().queue(work);
}

void cnxx_pf_work_destroy(struct cnxx_work* work)
{
    might_sleep("work_destroy");
    if (!work)
        return;
    live.fetch_sub(1);
    workqueue().destroy(work);
}

void cnxx_pf_invoke(cnxx_callback_t cb, struct cn_msg* msg, struct netlink_skb_parms* sender)
{
    might_sleep("callback");
    cb(msg, sender);
}

} // extern "C"

// --- test controls ----------------------------------------------------------

namespace fake {

void set_preemption(bool on)
{
    preemption.store(on);
}

void fail_allocation(int nth)
{
    fail_countdown.store(nth);
}

void fail_all_allocations(bool on)
{
    fail_all.store(on);
    if (!on)
        fail_countdown.store(0);
}

std::int64_t live_allocations()
{
    return live.load();
}

std::uint64_t allocation_count()
{
    return attempts.load();
}

void pause_work(bool paused)
{
    workqueue().pause(paused);
}

void run_work()
{
    workqueue().run_now();
}

void drain_work()
{
    workqueue().drain();
}

void rcu_barrier()
{
    rcu_thread().barrier();
}

int rcu_read_depth()
{
    return rcu_depth;
}

} // namespace fake
