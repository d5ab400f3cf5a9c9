# `make demo`: a user-space program and kernel modules exchanging messages
# through cnxx, narrated.
say() { echo; echo "== $*"; }
# run CMD...: shows the command, quoting arguments with spaces, then runs it.
run() {
	line='$'
	for a in "$@"; do
		case "$a" in *" "*) line="$line \"$a\"" ;; *) line="$line $a" ;; esac
	done
	echo "$line"
	"$@"
}

say "load cnxx, the connector"
run insmod /cnxx/cnxx.ko
dmesg | grep 'cnxx:' | tail -n 1

say "watch registrations of ids 14:1110-1119 (notifications on group 5)"
echo "\$ cnctl watch 14 1110-1119 --group 5 --count 4 &"
cnctl watch 14 1110-1119 --group 5 --count 4 --timeout 30 >/tmp/watch.out 2>&1 &
watch_pid=$!
sleep 1

say "load the kernel's sample module cn_test (built from the kernel source, unmodified)"
run insmod /cnxx/cn_test.ko
run cat /proc/net/connector

say "cn_test broadcasts a counter to group 14 every second; listen to two"
run cnctl listen 14 --count 2 --timeout 5

say "user space -> kernel: send a message to cn_test's callback"
run cnctl send 14:1110 "hello, cn_test"
sleep 1
dmesg | grep 'cn_test_callback' | tail -n 1

say "a request and its reply (the test module echoes: same seq, ack = seq + 1)"
run insmod /cnxx/cnxx_testmod.ko
run cnctl request 16:1 "ping" --seq 41 --timeout 5

say "unload cn_test: its ids go away"
run rmmod cn_test
wait $watch_pid
echo "\$ cat watch output"
cat /tmp/watch.out

say "counters"
run cnctl list

say "clean up"
run rmmod cnxx_testmod
run rmmod cnxx
