package classifiers

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ParamType says how a parameter's text is read.
type ParamType int

const (
	// ParamFloat is a finite number within [Min, Max] (ends excluded when
	// MinExclusive/MaxExclusive), or one of Keywords.
	ParamFloat ParamType = iota + 1
	// ParamInt is a whole number within [Min, Max], or one of Keywords.
	ParamInt
	// ParamBool is "true" or "false" (its Choices).
	ParamBool
	// ParamChoice is one of Choices.
	ParamChoice
	// ParamLabels is a comma-separated set of at least two distinct
	// non-negative class labels, or empty for "not fixed".
	ParamLabels
)

// Param describes one hyper-parameter of a learner, for the UI and the
// command line. Each learner declares its parameters once, in its Spec;
// one shared parser reads every value by name and checks it against the
// declaration (Spec.Validate, Spec.New).
type Param struct {
	Name string
	// Help says what the parameter does, ending with its allowed range.
	Help string
	// Default is the text of the typed default the learner declared, as
	// Spec.Defaults returns it; an absent or empty value means the default.
	Default string
	// Choices, when non-empty, lists the allowed values (ParamChoice and
	// ParamBool).
	Choices []string

	Type ParamType
	// Min and Max bound ParamFloat and ParamInt values (±Inf: unbounded);
	// MinExclusive/MaxExclusive exclude the ends themselves.
	Min, Max                   float64
	MinExclusive, MaxExclusive bool
	// Keywords, for ParamFloat and ParamInt, are words accepted instead of
	// a number (e.g. "auto"); the learner gives each its meaning.
	Keywords []string
}

// Validate reports the first value in values that is not a declared
// parameter of the learner or that its declaration rejects; the error
// names the parameter. Absent or empty values take the defaults.
func (s Spec) Validate(values map[string]string) error {
	_, err := parseParams(s.Name, s.Params, values)
	return err
}

// range bounds used in the declarations.
var (
	inf        = math.Inf(1)
	unbounded  = bounds{lo: -inf, hi: inf}
	positive   = bounds{lo: 0, hi: inf, loOpen: true}
	nonNegInts = bounds{lo: 0, hi: inf}
)

// bounds is the allowed range of a numeric parameter.
type bounds struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

func atLeast(lo float64) bounds       { return bounds{lo: lo, hi: inf} }
func between(lo, hi float64) bounds   { return bounds{lo: lo, hi: hi} }
func openUnit() bounds                { return bounds{lo: 0, hi: 1, loOpen: true, hiOpen: true} }
func aboveUpTo(lo, hi float64) bounds { return bounds{lo: lo, hi: hi, loOpen: true} }
func (b bounds) apply(p Param) Param {
	p.Min, p.Max, p.MinExclusive, p.MaxExclusive = b.lo, b.hi, b.loOpen, b.hiOpen
	return p
}
func (p Param) bounds() bounds { return bounds{p.Min, p.Max, p.MinExclusive, p.MaxExclusive} }
func (b bounds) contains(f float64) bool {
	if f < b.lo || f > b.hi || (b.loOpen && f == b.lo) || (b.hiOpen && f == b.hi) {
		return false
	}
	return !math.IsNaN(f)
}

// String describes the range for help texts and errors: "> 0",
// "0..1", ">= 3", "any number".
func (b bounds) String() string {
	lo, hi := !math.IsInf(b.lo, -1), !math.IsInf(b.hi, 1)
	switch {
	case lo && hi && !b.loOpen && !b.hiOpen:
		return formatFloat(b.lo) + ".." + formatFloat(b.hi)
	case lo && hi:
		l, h := ">= ", "<= "
		if b.loOpen {
			l = "> "
		}
		if b.hiOpen {
			h = "< "
		}
		return l + formatFloat(b.lo) + " and " + h + formatFloat(b.hi)
	case lo && b.loOpen:
		return "> " + formatFloat(b.lo)
	case lo:
		return ">= " + formatFloat(b.lo)
	case hi && b.hiOpen:
		return "< " + formatFloat(b.hi)
	case hi:
		return "<= " + formatFloat(b.hi)
	}
	return "any finite number"
}

// formatFloat writes f as the shortest text that reads back as f, with a
// plain exponent ("1e-9", not "1e-09").
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if i := strings.IndexAny(s, "e"); i >= 0 {
		exp := s[i+1:]
		sign := ""
		if exp[0] == '-' || exp[0] == '+' {
			if exp[0] == '-' {
				sign = "-"
			}
			exp = exp[1:]
		}
		s = s[:i+1] + sign + strings.TrimLeft(exp, "0")
	}
	return s
}

// withRange appends the allowed range to a help text.
func withRange(help, rng string) string { return help + " (" + rng + ")" }

// floatParam declares a number parameter with its typed default.
func floatParam(name, help string, def float64, b bounds) Param {
	return b.apply(Param{Name: name, Help: withRange(help, b.String()), Default: formatFloat(def), Type: ParamFloat})
}

// intParam declares a whole-number parameter with its typed default.
func intParam(name, help string, def int, b bounds) Param {
	return b.apply(Param{Name: name, Help: withRange(help, b.String()), Default: strconv.Itoa(def), Type: ParamInt})
}

// boolParam declares a true/false parameter with its typed default.
func boolParam(name, help string, def bool) Param {
	return Param{Name: name, Help: help, Default: strconv.FormatBool(def), Type: ParamBool, Choices: []string{"false", "true"}}
}

// choiceParam declares a parameter taking one of choices; def must be one.
func choiceParam(name, help, def string, choices ...string) Param {
	return Param{Name: name, Help: help, Default: def, Type: ParamChoice, Choices: choices}
}

// floatOrKeyword declares a number parameter that also takes keywords;
// its default def is one of them.
func floatOrKeyword(name, help string, b bounds, def string, keywords ...string) Param {
	p := b.apply(Param{Name: name, Default: def, Type: ParamFloat, Keywords: keywords})
	p.Help = withRange(help, b.String()+", or "+strings.Join(keywords, ", "))
	return p
}

// intOrKeyword declares a whole-number parameter that also takes
// keywords; its default def is one of them.
func intOrKeyword(name, help string, b bounds, def string, keywords ...string) Param {
	p := floatOrKeyword(name, help, b, def, keywords...)
	p.Type = ParamInt
	return p
}

// classesParam is the shared "classes" parameter of the linear learners.
var classesParam = Param{
	Name: "classes", Type: ParamLabels,
	Help: "fixed class set, e.g. 0,1,2 (empty: start with {0,1} and grow one-vs-rest on new labels)",
}

// paramValues holds a learner's parameters after parsing, looked up by
// name with the accessor of the declared type. Asking for an undeclared
// name or with the wrong type is a programming error and panics (the
// registry test builds every learner, so it shows at once).
type paramValues struct {
	learner string
	byName  map[string]paramValue
}

type paramValue struct {
	num     float64 // ParamFloat
	whole   int64   // ParamInt
	keyword string  // the keyword given instead of a number, if any
	text    string  // ParamChoice
	flag    bool    // ParamBool
	labels  []int   // ParamLabels (nil: not fixed)
	typ     ParamType
}

func (v paramValues) get(name string, t ParamType) paramValue {
	pv, ok := v.byName[name]
	if !ok || pv.typ != t {
		panic(fmt.Sprintf("classifiers: %s has no parameter %s of type %d", v.learner, name, t))
	}
	return pv
}

func (v paramValues) float(name string) float64 { return v.get(name, ParamFloat).num }
func (v paramValues) int(name string) int       { return int(v.get(name, ParamInt).whole) }
func (v paramValues) uint64(name string) uint64 { return uint64(v.get(name, ParamInt).whole) }
func (v paramValues) bool(name string) bool     { return v.get(name, ParamBool).flag }
func (v paramValues) choice(name string) string { return v.get(name, ParamChoice).text }
func (v paramValues) labels(name string) []int  { return v.get(name, ParamLabels).labels }

// pick maps a choice to what it stands for; a choice missing from m is a
// programming error (the registry test builds every choice).
func pick[T any](m map[string]T, choice string) T {
	t, ok := m[choice]
	if !ok {
		panic("classifiers: choice " + choice + " has no meaning")
	}
	return t
}

// keyword returns the keyword given for a number parameter ("" when the
// value is a number).
func (v paramValues) keyword(name string) string {
	pv, ok := v.byName[name]
	if !ok || (pv.typ != ParamFloat && pv.typ != ParamInt) {
		panic(fmt.Sprintf("classifiers: %s has no number parameter %s", v.learner, name))
	}
	return pv.keyword
}

// parseParams reads values against the declarations: every declared
// parameter gets a value (absent or empty: its default), and a name that
// is not declared is an error.
func parseParams(learner string, decls []Param, values map[string]string) (paramValues, error) {
	for name := range values {
		if !slices.ContainsFunc(decls, func(p Param) bool { return p.Name == name }) {
			names := make([]string, len(decls))
			for i, p := range decls {
				names[i] = p.Name
			}
			if len(names) == 0 {
				return paramValues{}, fmt.Errorf("%s: parameter %s: %s takes no parameters", learner, name, learner)
			}
			return paramValues{}, fmt.Errorf("%s: parameter %s: not a parameter of %s (it has %s)", learner, name, learner, strings.Join(names, ", "))
		}
	}
	out := paramValues{learner: learner, byName: make(map[string]paramValue, len(decls))}
	for _, p := range decls {
		text := strings.TrimSpace(values[p.Name])
		if text == "" {
			text = p.Default
		}
		pv, err := p.parse(text)
		if err != nil {
			return paramValues{}, fmt.Errorf("%s: parameter %s: %w", learner, p.Name, err)
		}
		out.byName[p.Name] = pv
	}
	return out, nil
}

// parse reads one value of p (already defaulted).
func (p Param) parse(text string) (paramValue, error) {
	pv := paramValue{typ: p.Type}
	switch p.Type {
	case ParamFloat, ParamInt:
		if slices.Contains(p.Keywords, text) {
			pv.keyword = text
			return pv, nil
		}
		or := ""
		if len(p.Keywords) > 0 {
			or = " or one of " + strings.Join(p.Keywords, ", ")
		}
		b := p.bounds()
		if p.Type == ParamInt {
			n, err := strconv.ParseInt(text, 10, 64)
			if err != nil {
				return pv, fmt.Errorf("%q is not a whole number%s", text, or)
			}
			pv.whole = n
			if !b.contains(float64(n)) {
				return pv, fmt.Errorf("%d is out of range (%s)%s", n, b, or)
			}
			return pv, nil
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return pv, fmt.Errorf("%q is not a finite number%s", text, or)
		}
		if !b.contains(f) {
			return pv, fmt.Errorf("%v is out of range (%s)%s", f, b, or)
		}
		pv.num = f
	case ParamBool, ParamChoice:
		if !slices.Contains(p.Choices, text) {
			return pv, fmt.Errorf("%q is not one of %s", text, strings.Join(p.Choices, ", "))
		}
		pv.text, pv.flag = text, text == "true"
	case ParamLabels:
		labels, err := parseLabels(text)
		if err != nil {
			return pv, err
		}
		pv.labels = labels
	default:
		return pv, fmt.Errorf("declared with no type")
	}
	return pv, nil
}

// parseLabels reads a comma-separated set of at least two distinct
// non-negative labels, sorted; empty means "not fixed" (nil).
func parseLabels(text string) ([]int, error) {
	if text == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(text, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a list of non-negative whole numbers", text)
		}
		out = append(out, n)
	}
	slices.Sort(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return nil, fmt.Errorf("label %d is listed twice", out[i])
		}
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("%q needs at least two classes", text)
	}
	return out, nil
}

// checkDeclarations panics on a malformed declaration, so a mistake shows
// when the package loads rather than when a user changes a setting.
func checkDeclarations(learner string, decls []Param) {
	seen := map[string]bool{}
	for _, p := range decls {
		if p.Name == "" || p.Help == "" || seen[p.Name] {
			panic(fmt.Sprintf("classifiers: %s: parameter %q is unnamed, undocumented or declared twice", learner, p.Name))
		}
		seen[p.Name] = true
		if _, err := p.parse(p.Default); err != nil {
			panic(fmt.Sprintf("classifiers: %s: default of %s: %v", learner, p.Name, err))
		}
	}
}
