package lua54lib

import (
	"bytes"
	"strings"
	"testing"
)

// TestGetiHashKeys: integer keys that gopher-lua keeps in the hash part
// (below 1 or from lua.MaxArrayIndex up) are read by geti, so unpack,
// concat and sort see them as 5.4 does.
func TestGetiHashKeys(t *testing.T) {
	L := newVM(t, &bytes.Buffer{})
	cases := map[string]string{
		`table.unpack({[2147483647] = 20}, 2147483647, 2147483647)`:            "20",
		`select(2, table.unpack({[2147483647] = 20}, 2147483646, 2147483647))`: "20",
		`table.concat({[-1] = "a", [0] = "b"}, ",", -1, 0)`:                    "a,b",
	}
	for expr, want := range cases {
		if got := eval(t, L, expr); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
}

// TestSortPermutations sorts every permutation of 1..7 with the default
// order and with a comparator.
func TestSortPermutations(t *testing.T) {
	L := newVM(t, &bytes.Buffer{})
	err := L.DoString(`
local function check(a, desc)
  for i = 1, #a do
    local want = desc and #a + 1 - i or i
    if a[i] ~= want then error("not sorted: " .. table.concat(a, ","), 0) end
  end
end
local n, count = 7, 0
local function perm(a, k)
  if k > n then
    local b, c = {}, {}
    for i = 1, n do b[i] = a[i] c[i] = a[i] end
    table.sort(b) check(b, false)
    table.sort(c, function(x, y) return x > y end) check(c, true)
    count = count + 1
    return
  end
  for i = k, n do
    a[k], a[i] = a[i], a[k]
    perm(a, k + 1)
    a[k], a[i] = a[i], a[k]
  end
end
perm({1, 2, 3, 4, 5, 6, 7}, 1)
assert(count == 5040, count)
`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestSortBigInputs covers the randomized-pivot path: inputs that make
// middle pivots unbalanced, and many equal keys.
func TestSortBigInputs(t *testing.T) {
	L := newVM(t, &bytes.Buffer{})
	err := L.DoString(`
local function sorted(a) for i = 2, #a do if a[i] < a[i - 1] then return false end end return true end
local n = 20000
local organ, eq, saw = {}, {}, {}
for i = 1, n do
  organ[i] = i <= n / 2 and i or n - i
  eq[i] = i % 2
  saw[i] = i % 100
end
for _, a in ipairs({organ, eq, saw}) do
  local sum = 0 for i = 1, n do sum = sum + a[i] end
  table.sort(a)
  assert(#a == n and sorted(a))
  local sum2 = 0 for i = 1, n do sum2 = sum2 + a[i] end
  assert(sum == sum2)
end
`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestSortInconsistentOrder: a comparator that is not an order either
// raises "invalid order function for sorting" or finishes, and never loses
// or duplicates an element.
func TestSortInconsistentOrder(t *testing.T) {
	L := newVM(t, &bytes.Buffer{})
	err := L.DoString(`
local x = 1
local function coin() x = (x * 16807) % 2147483647 return x % 2 == 0 end
local errors = 0
for size = 2, 300, 7 do
  local a, seen = {}, {}
  for i = 1, size do a[i] = i end
  local ok, msg = pcall(table.sort, a, coin)
  if not ok then
    assert(msg == "invalid order function for sorting", msg)
    errors = errors + 1
  end
  for i = 1, size do
    assert(a[i] and not seen[a[i]], "element lost or duplicated")
    seen[a[i]] = true
  end
end
assert(errors > 0)
local ok, msg = pcall(table.sort, {1, 2, 3, 4}, function() return true end)
assert(not ok and msg == "invalid order function for sorting", msg)
`)
	if err != nil {
		t.Fatal(err)
	}
}

// TestSetHook: a hook cannot be installed and says why; clearing works.
func TestSetHook(t *testing.T) {
	L := newVM(t, &bytes.Buffer{})
	if got := eval(t, L, `pcall(debug.sethook, print, "l")`); len(got) != 2 || got[0] != "false" ||
		!strings.Contains(got[1], "hooks are not supported (gopher-lua has no debug hooks)") {
		t.Errorf("sethook with a hook: %q", got)
	}
	if got := eval(t, L, `pcall(debug.sethook)`); len(got) != 1 || got[0] != "true" {
		t.Errorf("sethook(): %q", got)
	}
	if got := eval(t, L, `debug.gethook()`); len(got) != 1 || got[0] != "nil" {
		t.Errorf("gethook(): %q", got)
	}
}
