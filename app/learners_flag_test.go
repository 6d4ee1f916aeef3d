package app

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// `run --learners` runs only the named learners, in that order, and each
// learns exactly what it learns beside the others (the learners are
// independent, so a selection measures the same work).
func TestRunLearnersSelection(t *testing.T) {
	all := runJSON(t, "--sim", "default", "--count", "3000")
	some := runJSON(t, "--sim", "default", "--count", "3000", "--learners", "naive_bayes, sgd")
	var names []string
	for _, c := range some.Classifiers {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "naive_bayes,sgd" {
		t.Fatalf("classifiers %v, want naive_bayes,sgd", names)
	}
	for _, name := range names {
		a, s := classifier(t, all, name), classifier(t, some, name)
		if a.Accuracy != s.Accuracy || a.Learned != s.Learned || a.Learned == 0 {
			t.Errorf("%s alone: accuracy %v learned %d; beside the others: accuracy %v learned %d",
				name, s.Accuracy, s.Learned, a.Accuracy, a.Learned)
		}
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
