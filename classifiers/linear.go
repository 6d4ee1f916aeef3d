package classifiers

import "sort"

// binaryLinear is one linear decision function w·x + b.
type binaryLinear struct {
	w []float64
	b float64
}

func (m *binaryLinear) score(x []float64) float64 {
	s := m.b
	for i, v := range x {
		s += m.w[i] * v
	}
	return s
}

// linearOVR runs a binary linear update rule as scikit-learn's linear
// classifiers do: one model for two classes (the larger label positive),
// one-vs-rest models for more. Classes are discovered online and kept
// sorted, as scikit-learn's classes_ are.
type linearOVR struct {
	update  func(m *binaryLinear, x []float64, y float64)
	classes []int
	models  []binaryLinear // len 1 when two classes; len(classes) when more
	dim     int
}

func (o *linearOVR) reset() {
	o.classes = o.classes[:0]
	o.models = o.models[:0]
	o.dim = 0
}

func (o *linearOVR) addClass(y int) {
	i := sort.SearchInts(o.classes, y)
	if i < len(o.classes) && o.classes[i] == y {
		return
	}
	o.classes = append(o.classes, 0)
	copy(o.classes[i+1:], o.classes[i:])
	o.classes[i] = y
	switch {
	case len(o.classes) == 2:
		o.models = append(o.models[:0], binaryLinear{w: make([]float64, o.dim)})
	case len(o.classes) > 2:
		if len(o.models) == 1 && len(o.classes) == 3 {
			// Going from binary to one-vs-rest: the binary model separated
			// classes[1] (positive) from classes[0]. Keep it as the model of
			// the positive class and its negation for the negative one.
			pos := o.models[0]
			neg := binaryLinear{w: make([]float64, o.dim), b: -pos.b}
			for k, v := range pos.w {
				neg.w[k] = -v
			}
			old := [2]int{o.classes[0], o.classes[1]}
			if i == 0 {
				old = [2]int{o.classes[1], o.classes[2]}
			} else if i == 1 {
				old = [2]int{o.classes[0], o.classes[2]}
			}
			models := make([]binaryLinear, 3)
			for k, c := range o.classes {
				switch c {
				case old[0]:
					models[k] = neg
				case old[1]:
					models[k] = pos
				default:
					models[k] = binaryLinear{w: make([]float64, o.dim)}
				}
			}
			o.models = models
			return
		}
		o.models = append(o.models, binaryLinear{})
		copy(o.models[i+1:], o.models[i:])
		o.models[i] = binaryLinear{w: make([]float64, o.dim)}
	}
}

func (o *linearOVR) predict(x []float64) int {
	switch len(o.classes) {
	case 0:
		return 0
	case 1:
		return o.classes[0]
	case 2:
		if len(o.models[0].w) != len(x) {
			return o.classes[0]
		}
		if o.models[0].score(x) > 0 {
			return o.classes[1]
		}
		return o.classes[0]
	}
	best, bestScore := o.classes[0], 0.0
	for k := range o.models {
		if len(o.models[k].w) != len(x) {
			continue
		}
		s := o.models[k].score(x)
		if k == 0 || s > bestScore {
			best, bestScore = o.classes[k], s
		}
	}
	return best
}

func (o *linearOVR) learn(x []float64, y int) {
	if o.dim == 0 {
		o.dim = len(x)
	}
	o.addClass(y)
	switch len(o.classes) {
	case 1:
		return
	case 2:
		t := -1.0
		if y == o.classes[1] {
			t = 1
		}
		o.update(&o.models[0], x, t)
	default:
		for k, c := range o.classes {
			t := -1.0
			if c == y {
				t = 1
			}
			o.update(&o.models[k], x, t)
		}
	}
}
