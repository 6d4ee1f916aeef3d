package app

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// `run --learners` runs only the named learners, in that order, then the
// two baselines if not named, and each learns exactly what it learns
// beside the others (the learners are independent, so a selection
// measures the same work); kappa-M and kappa-T are those of the full run.
func TestRunLearnersSelection(t *testing.T) {
	all := runJSON(t, "--sim", "default", "--count", "3000")
	some := runJSON(t, "--sim", "default", "--count", "3000", "--learners", "naive_bayes, sgd")
	var names []string
	for _, c := range some.Classifiers {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "naive_bayes,sgd,majority,no_change" {
		t.Fatalf("classifiers %v, want naive_bayes,sgd,majority,no_change", names)
	}
	for _, name := range names[:2] {
		a, s := classifier(t, all, name), classifier(t, some, name)
		if a.Accuracy != s.Accuracy || a.Learned != s.Learned || a.Learned == 0 ||
			a.KappaM != s.KappaM || a.KappaT != s.KappaT || s.KappaM == 0 || s.KappaT == 0 {
			t.Errorf("%s alone: accuracy %v kappa-M %v kappa-T %v learned %d; beside the others: %v, %v, %v, %d",
				name, s.Accuracy, s.KappaM, s.KappaT, s.Learned, a.Accuracy, a.KappaM, a.KappaT, a.Learned)
		}
	}
	one := runJSON(t, "--sim", "default", "--count", "3000", "--learners", "no_change,sgd")
	if len(one.Classifiers) != 3 || one.Classifiers[0].Name != "no_change" || one.Classifiers[2].Name != "majority" {
		t.Errorf("--learners no_change,sgd: %d classifiers, want no_change, sgd, majority", len(one.Classifiers))
	}
	for _, bad := range []string{"sgd,forest", "sgd,sgd", "sgd,"} {
		var out, errOut bytes.Buffer
		err := RunCommand(context.Background(), []string{"--sim", "default", "--learners", bad}, &out, &errOut)
		var ue UsageError
		if !errors.As(err, &ue) {
			t.Errorf("--learners %q: got %v, want a usage error", bad, err)
		}
	}
}
