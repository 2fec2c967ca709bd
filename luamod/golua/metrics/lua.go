package metrics

import (
	"bytes"
	"fmt"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	lua "github.com/yuin/gopher-lua"
)

// handle is what a script holds: a family (m nil when it has labels) or
// one of its values (a metric without labels, or a child of labels(...)).
type handle struct {
	f *family
	m prometheus.Metric
}

const (
	handleType  = "golua.metrics"
	defaultRegs = "golua.metrics.registry" // the registry table export adds to
	// exportedByName maps the names defined through golua.metrics and
	// silly.metrics.prometheus to their handles.
	exportedByName = "golua.metrics.byname"
)

// Register makes the script metrics modules available to require in rt:
// golua.metrics, and silly's silly.metrics.counter, .gauge, .histogram,
// .labels, .registry and .prometheus. When rt reports into a Set, its
// tasks are counted there too.
func Register(rt *runtime.Runtime) {
	set := Of(rt)
	if set != nil {
		set.tasks.attach(rt)
	}
	newFn := func(k kind) lua.LGFunction {
		return func(L *lua.LState) int {
			L.Push(L.NewFunction(func(L *lua.LState) int { return define(L, nil, k) }))
			return 1
		}
	}
	exported := func(L *lua.LState) int {
		mod := L.NewTable()
		for _, k := range []kind{kindCounter, kindGauge, kindHistogram} {
			mod.RawSetString(string(k), L.NewFunction(func(L *lua.LState) int {
				return defineExported(L, set, k)
			}))
		}
		mod.RawSetString("registry", L.NewFunction(func(L *lua.LState) int {
			L.Push(defaultRegistry(L))
			return 1
		}))
		mod.RawSetString("gather", L.NewFunction(gather))
		L.Push(mod)
		return 1
	}
	rt.RegisterModules(map[string]lua.LGFunction{
		"golua.metrics":                   exported,
		"silly.metrics.prometheus":        exported,
		"silly.metrics.counter":           newFn(kindCounter),
		"silly.metrics.gauge":             newFn(kindGauge),
		"silly.metrics.histogram":         newFn(kindHistogram),
		"silly.metrics.registry":          registryModule,
		"silly.metrics.labels":            labelsModule,
		"silly.metrics.collector.process": processCollectorModule,
	})
}

// define makes a family from the arguments (name, help[, labelnames[,
// buckets]]) and pushes its handle; with set it is exported there.
func define(L *lua.LState, set *Set, k kind) int {
	fname := string(k)
	name := luaarg.CheckString(L, 1, fname)
	help := luaarg.CheckString(L, 2, fname)
	var labelNames []string
	switch v := L.Get(3).(type) {
	case *lua.LNilType:
	case *lua.LTable:
		labelNames = []string{}
		for i := 1; i <= v.Len(); i++ {
			s, ok := v.RawGetInt(i).(lua.LString)
			if !ok {
				luaarg.Error(L, 3, fname, fmt.Sprintf("label name #%d is not a string", i))
			}
			labelNames = append(labelNames, string(s))
		}
	default:
		luaarg.TypeError(L, 3, fname, "table")
	}
	var buckets []float64
	if k == kindHistogram {
		switch v := L.Get(4).(type) {
		case *lua.LNilType:
		case *lua.LTable:
			buckets = []float64{}
			for i := 1; i <= v.Len(); i++ {
				n, ok := v.RawGetInt(i).(lua.LNumber)
				if !ok {
					luaarg.Error(L, 4, fname, fmt.Sprintf("bucket #%d is not a number", i))
				}
				buckets = append(buckets, float64(n))
			}
		default:
			luaarg.TypeError(L, 4, fname, "table")
		}
	}
	f := newFamily(k, name, help, labelNames, buckets)
	if set != nil {
		var err error
		if f, err = set.export(f); err != nil {
			L.RaiseError("%s: %v", fname, err)
		}
	}
	L.Push(newHandle(L, f, f.single))
	return 1
}

// defineExported is golua.metrics' (and silly.metrics.prometheus')
// counter, gauge and histogram: define, exported to the runtime's Set when
// it has one, and added to the default registry that gather reads.
func defineExported(L *lua.LState, set *Set, k kind) int {
	define(L, set, k)
	h := L.Get(-1)
	// A name defined before in this VM gives the same object, as a name
	// exported through a Set gives the same values: a registry holds one
	// metric per name.
	byName := vmTable(L, exportedByName)
	f := h.(*lua.LUserData).Value.(*handle).f
	if prev, ok := byName.RawGetString(f.name).(*lua.LUserData); ok {
		if pf := prev.Value.(*handle).f; pf != f && !pf.sameShape(f) {
			L.RaiseError("%s: metric %s is already defined as a %s with labels {%s}", k, f.name, pf.kind, labelList(pf))
		}
		L.Push(prev)
		return 1
	}
	byName.RawSetString(f.name, h)
	reg := defaultRegistry(L)
	L.Push(L.GetField(reg, "register"))
	L.Push(reg)
	L.Push(h)
	L.Call(2, 0)
	return 1
}

func newHandle(L *lua.LState, f *family, m prometheus.Metric) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = &handle{f: f, m: m}
	ud.Metatable = handleMetatable(L)
	return ud
}

// handleMetatable returns the metatable of handles, made once per VM.
func handleMetatable(L *lua.LState) lua.LValue {
	mt := L.GetTypeMetatable(handleType)
	if mt != lua.LNil {
		return mt
	}
	t := L.NewTypeMetatable(handleType)
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"inc":     func(L *lua.LState) int { return update(L, "inc", 1, false) },
		"dec":     func(L *lua.LState) int { return update(L, "dec", -1, false) },
		"add":     func(L *lua.LState) int { return update(L, "add", 1, true) },
		"sub":     func(L *lua.LState) int { return update(L, "sub", -1, true) },
		"set":     set,
		"observe": observe,
		"labels":  labels,
		"collect": collect,
	})
	t.RawSetString("__name", lua.LString(handleType))
	t.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		h := checkHandle(L, "__index")
		key := L.CheckString(2)
		if v := methods.RawGetString(key); v != lua.LNil {
			L.Push(v)
			return 1
		}
		L.Push(h.field(L, key))
		return 1
	}))
	t.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		h := checkHandle(L, "__tostring")
		L.Push(lua.LString(fmt.Sprintf("%s: %s", h.f.kind, h.f.name)))
		return 1
	}))
	return t
}

func checkHandle(L *lua.LState, method string) *handle {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if h, ok := ud.Value.(*handle); ok {
			return h
		}
	}
	luaarg.Method(method).TypeError(L, 1, handleType)
	return nil
}

// value returns the handle's metric, raising an error on a family with
// labels, whose values are reached through labels(...).
func (h *handle) value(L *lua.LState, method string) prometheus.Metric {
	if h.m == nil {
		L.RaiseError("%s: metric %s has labels {%s}: call labels(...) first", method, h.f.name, labelList(h.f))
	}
	return h.m
}

func labelList(f *family) string {
	s := ""
	for i, n := range f.labelNames {
		if i > 0 {
			s += ","
		}
		s += n
	}
	return s
}

// field is what reading h.key gives, the fields of silly's metric tables.
func (h *handle) field(L *lua.LState, key string) lua.LValue {
	f := h.f
	switch key {
	case "name":
		return lua.LString(f.name)
	case "help":
		return lua.LString(f.help)
	case "kind":
		return lua.LString(f.kind)
	case "labelnames":
		if f.labelNames == nil {
			return lua.LNil
		}
		t := L.CreateTable(len(f.labelNames), 0)
		for _, n := range f.labelNames {
			t.Append(lua.LString(n))
		}
		return t
	case "buckets":
		if f.kind != kindHistogram {
			return lua.LNil
		}
		t := L.CreateTable(len(f.buckets), 0)
		for _, b := range f.buckets {
			t.Append(lua.LNumber(b))
		}
		return t
	case "metrics":
		if h.m != nil || f.labelNames == nil {
			return lua.LNil
		}
		keys, ms := f.childList()
		t := L.CreateTable(0, len(keys))
		for i, k := range keys {
			t.RawSetString(k, newHandle(L, f, ms[i]))
		}
		return t
	}
	if h.m == nil {
		return lua.LNil
	}
	switch f.kind {
	case kindCounter, kindGauge:
		if key == "value" {
			return lua.LNumber(value(h.m))
		}
	case kindHistogram:
		counts, count, sum := bucketCounts(h.m)
		switch key {
		case "bucketcounts":
			t := L.CreateTable(len(counts), 0)
			for _, c := range counts {
				t.Append(lua.LNumber(c))
			}
			return t
		case "count":
			return lua.LNumber(count)
		case "sum":
			return lua.LNumber(sum)
		}
	}
	return lua.LNil
}

// update is inc, dec (sign, no argument), add and sub (sign, argument).
// A counter only takes inc and add of a non-negative amount.
func update(L *lua.LState, method string, sign float64, arg bool) int {
	h := checkHandle(L, method)
	m := h.value(L, method)
	v := 1.0
	if arg {
		v = luaarg.CheckNumber(L, 2, method)
	}
	v *= sign
	switch c := m.(type) {
	case prometheus.Gauge:
		c.Add(v)
	case prometheus.Counter:
		if sign < 0 {
			L.RaiseError("%s: metric %s is a counter, which has no %s", method, h.f.name, method)
		}
		if !(v >= 0) {
			L.RaiseError("%s: counter %s can only increase (got %v)", method, h.f.name, v)
		}
		c.Add(v)
	default:
		L.RaiseError("%s: metric %s is a %s, which has no %s", method, h.f.name, h.f.kind, method)
	}
	return 0
}

func set(L *lua.LState) int {
	h := checkHandle(L, "set")
	m := h.value(L, "set")
	v := luaarg.CheckNumber(L, 2, "set")
	g, ok := m.(prometheus.Gauge)
	if !ok || h.f.kind != kindGauge {
		L.RaiseError("set: metric %s is a %s, which has no set", h.f.name, h.f.kind)
	}
	g.Set(v)
	return 0
}

func observe(L *lua.LState) int {
	h := checkHandle(L, "observe")
	m := h.value(L, "observe")
	v := luaarg.CheckNumber(L, 2, "observe")
	o, ok := m.(prometheus.Observer)
	if !ok || h.f.kind != kindHistogram {
		L.RaiseError("observe: metric %s is a %s, which has no observe", h.f.name, h.f.kind)
	}
	o.Observe(v)
	return 0
}

// labels returns the child of a family with labels for the label values
// given (strings or numbers), one per label name.
func labels(L *lua.LState) int {
	h := checkHandle(L, "labels")
	if h.m != nil {
		L.RaiseError("labels: metric %s has no labels", h.f.name)
	}
	values := make([]string, 0, L.GetTop()-1)
	for i := 2; i <= L.GetTop(); i++ {
		values = append(values, luaarg.Method("labels").CheckString(L, i))
	}
	m, err := h.f.child(values)
	if err != nil {
		L.RaiseError("labels: %v", err)
	}
	L.Push(newHandle(L, h.f, m))
	return 1
}

// collect appends the handle to the table given (silly's collector
// interface, which registries call).
func collect(L *lua.LState) int {
	L.CheckUserData(1)
	buf := L.CheckTable(2)
	buf.Append(L.Get(1))
	return 0
}

// registryModule is silly.metrics.registry: new() makes a registry, a
// table listing its collectors, with register, unregister and collect.
func registryModule(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("new", L.NewFunction(func(L *lua.LState) int {
		L.Push(newRegistry(L))
		return 1
	}))
	L.Push(mod)
	return 1
}

func newRegistry(L *lua.LState) *lua.LTable {
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"register": func(L *lua.LState) int {
			r, obj := L.CheckTable(1), L.CheckAny(2)
			for i := 1; i <= r.Len(); i++ {
				if r.RawGetInt(i) == obj {
					return 0
				}
			}
			r.Append(obj)
			return 0
		},
		"unregister": func(L *lua.LState) int {
			r, obj := L.CheckTable(1), L.CheckAny(2)
			for i := 1; i <= r.Len(); i++ {
				if r.RawGetInt(i) == obj {
					r.Remove(i)
					return 0
				}
			}
			return 0
		},
		"collect": func(L *lua.LState) int {
			L.Push(collectAll(L, L.CheckTable(1)))
			return 1
		},
	})
	mt := L.NewTable()
	mt.RawSetString("__index", methods)
	r := L.NewTable()
	L.SetMetatable(r, mt)
	return r
}

// collectAll calls each collector's collect(buf) and returns buf.
func collectAll(L *lua.LState, r *lua.LTable) *lua.LTable {
	buf := L.NewTable()
	for i := 1; i <= r.Len(); i++ {
		c := r.RawGetInt(i)
		L.Push(L.GetField(c, "collect"))
		L.Push(c)
		L.Push(buf)
		L.Call(2, 0)
	}
	return buf
}

// defaultRegistry is the VM's registry that golua.metrics and
// silly.metrics.prometheus define into and gather reads by default.
func defaultRegistry(L *lua.LState) *lua.LTable {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if r, ok := reg.RawGetString(defaultRegs).(*lua.LTable); ok {
		return r
	}
	r := newRegistry(L)
	reg.RawSetString(defaultRegs, r)
	return r
}

// vmTable returns a table kept in the VM's registry under key, made on
// first use.
func vmTable(L *lua.LState, key string) *lua.LTable {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if t, ok := reg.RawGetString(key).(*lua.LTable); ok {
		return t
	}
	t := L.NewTable()
	reg.RawSetString(key, t)
	return t
}

// gather returns the Prometheus text exposition of the metrics a registry
// (default: the VM's) collects, encoded by client_golang's expfmt. Entries
// that are not golua metrics (a collector written in Lua) are skipped.
func gather(L *lua.LState) int {
	r, ok := L.Get(1).(*lua.LTable)
	if !ok {
		if L.Get(1) != lua.LNil {
			luaarg.TypeError(L, 1, "gather", "table")
		}
		r = defaultRegistry(L)
	}
	buf := collectAll(L, r)
	pr := prometheus.NewRegistry()
	seen := make(map[*family]bool)
	for i := 1; i <= buf.Len(); i++ {
		ud, ok := buf.RawGetInt(i).(*lua.LUserData)
		if !ok {
			continue
		}
		h, ok := ud.Value.(*handle)
		if !ok || seen[h.f] {
			continue
		}
		seen[h.f] = true
		if err := pr.Register(h.f.collector); err != nil {
			L.RaiseError("gather: metric %s: %v", h.f.name, err)
		}
	}
	mfs, err := pr.Gather()
	if err != nil {
		L.RaiseError("gather: %v", err)
	}
	var out bytes.Buffer
	enc := expfmt.NewEncoder(&out, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			L.RaiseError("gather: %v", err)
		}
	}
	L.Push(lua.LString(out.String()))
	return 1
}

// labelsModule is silly.metrics.labels: key(cache, names, values) is the
// label part of a sample, name="value",... ("" without labels). The cache
// argument is accepted for silly's signature; Lua strings compare by
// value, so none is needed.
func labelsModule(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("key", L.NewFunction(func(L *lua.LState) int {
		names, values := L.CheckTable(2), L.CheckTable(3)
		if values.Len() == 0 {
			L.Push(lua.LString(""))
			return 1
		}
		if names.Len() != values.Len() {
			L.RaiseError("key: %d label names and %d values", names.Len(), values.Len())
		}
		ns := make([]string, names.Len())
		vs := make([]string, values.Len())
		for i := range ns {
			ns[i] = lua.LVAsString(names.RawGetInt(i + 1))
			vs[i] = L.ToStringMeta(values.RawGetInt(i + 1)).String()
		}
		L.Push(lua.LString(labelKey(ns, vs)))
		return 1
	}))
	L.Push(mod)
	return 1
}
