;; The splitter's hot loop in WebAssembly: an INSERT's VALUES list, split and checked in one pass
;; (dump-splitter.ts, `scanValues`, says what is followed and why). JavaScript runs about one step
;; per byte; this scans string contents 16 bytes at a time (SIMD).
;; Built into scan-values.wasm by `npm run build:wasm` (tests/load/scan-values.test.ts checks that
;; the committed .wasm is this file's build).
;;
;; Memory: bytes 0-255 the byte classes (VCLASS), 256-511 the escapes that mean the same to LOAD DATA
;; (ESCAPE_SAME), 512-767 the bytes of a word (letters, digits, _ and $); the chunk from DATA = 1024,
;; with 16 bytes to spare after it. The list's state is in the globals, set before a call and read
;; after it.
(module
  (memory (export "memory") 1)
  ;; Where the list stands (see V_DUE … in dump-splitter.ts).
  (global $depth (export "depth") (mut i32) (i32.const 0))
  (global $expect (export "expect") (mut i32) (i32.const 0))
  (global $plain (export "plain") (mut i32) (i32.const 1))
  (global $closed (export "closed") (mut i32) (i32.const 0))
  (global $rows (export "rows") (mut i32) (i32.const 0))
  ;; In: -1 when the list's first '(' is still to be found (else -2). Out: its index, if found.
  (global $first (export "first") (mut i32) (i32.const -1))
  ;; Out: the index of the last ')' seen in this call, or -1.
  (global $last (export "last") (mut i32) (i32.const -1))
  ;; Out: the chunk ended inside a string (and right after its backslash).
  (global $in_string (export "inString") (mut i32) (i32.const 0))
  (global $escaped (export "escaped") (mut i32) (i32.const 0))
  ;; Out: why the scan stopped: 0 the chunk ended, 1 at ';', 2 bail out, 3 needs more look-ahead.
  (global $stop (export "stop") (mut i32) (i32.const 0))

  ;; A value is complete (a ',' or ')' may follow): after a value, in an integer, in a fraction.
  (func $value_ended (param $e i32) (result i32)
    (i32.or
      (i32.or (i32.eq (local.get $e) (i32.const 2)) (i32.eq (local.get $e) (i32.const 3)))
      (i32.eq (local.get $e) (i32.const 5))))

  ;; Scans data[i, n) (data at DATA); returns where it stopped.
  (func (export "scan") (param $i i32) (param $n i32) (result i32)
    (local $b i32) (local $e i32) (local $k i32) (local $mask i32) (local $v v128)
    (global.set $in_string (i32.const 0))
    (global.set $escaped (i32.const 0))
    (global.set $stop (i32.const 0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u offset=1024 (local.get $i)))
        (block $default
        (block $space
        (block $null
        (block $minus
        (block $comma
        (block $rparen
        (block $lparen
        (block $quote
        (block $digit
          ;; classes: 0 digit, 1 quote, 2 '(', 3 ')', 4 ',', 5 '-', 6 'N', 7 other, 8 space, 9 '.'
          (br_table $digit $quote $lparen $rparen $comma $minus $null $default $space $default
            (i32.load8_u (local.get $b))))
        ;; A digit: a number starts where a value is due (no leading zero), or goes on.
        (local.set $e (global.get $expect))
        (br_if $default (i32.or (i32.eq (local.get $e) (i32.const 2)) (i32.ne (global.get $depth) (i32.const 1))))
        (if (i32.and (i32.le_u (local.get $e) (i32.const 1)) (i32.eq (local.get $b) (i32.const 0x30)))
          (then
            (br_if $default (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
            (br_if $default (i32.eqz (i32.load8_u (i32.load8_u offset=1025 (local.get $i)))))))
        (global.set $expect
          (select (i32.const 5) (i32.const 3)
            (i32.or (i32.eq (local.get $e) (i32.const 4)) (i32.eq (local.get $e) (i32.const 5)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $digits_end
          (loop $digits
            (br_if $digits_end (i32.ge_u (local.get $i) (local.get $n)))
            (br_if $digits_end (i32.load8_u (i32.load8_u offset=1024 (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $digits)))
        (if (i32.lt_u (local.get $i) (local.get $n))
          (then
            (if (i32.and
                  (i32.eq (i32.load8_u offset=1024 (local.get $i)) (i32.const 0x2e))
                  (i32.eq (global.get $expect) (i32.const 3)))
              (then
                (global.set $expect (i32.const 4))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))))))
        (br $next))
        ;; A quote: a string where a value is due, scanned to its closing quote.
        (br_if $default (i32.or (i32.ne (global.get $depth) (i32.const 1)) (i32.ne (global.get $expect) (i32.const 0))))
        (global.set $expect (i32.const 2))
        (local.set $k (i32.add (local.get $i) (i32.const 1)))
        (loop $string
          ;; The next quote or backslash among 16 bytes (reading past n is harmless: 16 spare bytes).
          (local.set $v (v128.load offset=1024 (local.get $k)))
          (local.set $mask
            (i8x16.bitmask
              (v128.or
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x27)))
                (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c))))))
          (if (i32.eqz (local.get $mask))
            (then
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (if (i32.ge_u (local.get $k) (local.get $n))
                (then
                  (global.set $in_string (i32.const 1))
                  (local.set $i (local.get $n))
                  (br $done)))
              (br $string)))
          (local.set $k (i32.add (local.get $k) (i32.ctz (local.get $mask))))
          (if (i32.ge_u (local.get $k) (local.get $n))
            (then
              (global.set $in_string (i32.const 1))
              (local.set $i (local.get $n))
              (br $done)))
          (if (i32.eq (i32.load8_u offset=1024 (local.get $k)) (i32.const 0x27))
            (then
              (local.set $i (i32.add (local.get $k) (i32.const 1)))
              (br $next)))
          ;; A backslash escapes the next byte.
          (if (i32.ge_u (i32.add (local.get $k) (i32.const 1)) (local.get $n))
            (then
              (global.set $in_string (i32.const 1))
              (global.set $escaped (i32.const 1))
              (local.set $i (local.get $n))
              (br $done)))
          (if (i32.eqz (i32.load8_u offset=256 (i32.load8_u offset=1025 (local.get $k))))
            (then (global.set $plain (i32.const 0))))
          (local.set $k (i32.add (local.get $k) (i32.const 2)))
          (br $string))
        (unreachable))
        ;; '(' starts a row.
        (br_if $default (i32.or (i32.ne (global.get $depth) (i32.const 0)) (global.get $closed)))
        (global.set $depth (i32.const 1))
        (global.set $expect (i32.const 0))
        (global.set $rows (i32.add (global.get $rows) (i32.const 1)))
        (if (i32.eq (global.get $first) (i32.const -1)) (then (global.set $first (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
        ;; ')' ends a row after a complete value.
        (br_if $default (i32.ne (global.get $depth) (i32.const 1)))
        (br_if $default (i32.eqz (call $value_ended (global.get $expect))))
        (global.set $depth (i32.const 0))
        (global.set $closed (i32.const 1))
        (global.set $last (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
        ;; ',' between rows, or after a complete value.
        (if (i32.eqz (global.get $depth))
          (then (global.set $closed (i32.const 0)))
          (else (br_if $default (i32.eqz (call $value_ended (global.get $expect))))))
        (global.set $expect (i32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
        ;; '-': a sign where a value is due, before a digit.
        (if (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
          (then (global.set $stop (i32.const 3)) (br $done)))
        (br_if $default (i32.or (i32.ne (global.get $expect) (i32.const 0)) (i32.ne (global.get $depth) (i32.const 1))))
        (br_if $default (i32.ne (i32.load8_u (i32.load8_u offset=1025 (local.get $i))) (i32.const 0)))
        (global.set $expect (i32.const 1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
        ;; 'N': NULL where a value is due.
        (if (i32.ge_u (i32.add (local.get $i) (i32.const 4)) (local.get $n))
          (then (global.set $stop (i32.const 3)) (br $done)))
        (br_if $default (i32.or (i32.ne (global.get $depth) (i32.const 1)) (i32.ne (global.get $expect) (i32.const 0))))
        (br_if $default (i32.ne (i32.load8_u offset=1025 (local.get $i)) (i32.const 0x55)))
        (br_if $default (i32.ne (i32.load8_u offset=1026 (local.get $i)) (i32.const 0x4c)))
        (br_if $default (i32.ne (i32.load8_u offset=1027 (local.get $i)) (i32.const 0x4c)))
        (br_if $default (i32.load8_u offset=512 (i32.load8_u offset=1028 (local.get $i))))
        (global.set $expect (i32.const 2))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))
        ;; Spaces only between rows.
        (br_if $default (i32.ne (global.get $depth) (i32.const 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))
      ;; Anything else: the statement's ';', or something the one-pass check does not follow.
      (global.set $stop (select (i32.const 1) (i32.const 2) (i32.eq (local.get $b) (i32.const 0x3b))))))
    (local.get $i))
)
