package eval

import "github.com/etherlearn/etherlearn/classifiers"

// MaxLabel is the largest class label scored. It is the learners' own
// bound (classifiers.MaxClasses labels, 0..63): a larger label could never
// be learned, so the pipeline treats it as a bad label (unlabelled) before
// it reaches a learner, and confusion matrices stay at most 64x64.
const MaxLabel = classifiers.MaxClasses - 1

// DefaultWindow is the sliding window of the windowed scores, in scored
// frames.
const DefaultWindow = 1000

// AttackLabel is the positive class of binary runs (label 1 = attack): its
// precision, recall and F1 are reported; multiclass runs report macro
// averages instead.
const AttackLabel = 1

// Averaging names how Scores.Precision, Recall and F1 were computed.
const (
	AveragingBinary = "binary" // of the attack class (label 1): every label seen is 0 or 1
	AveragingMacro  = "macro"  // unweighted mean over every label seen (truth or prediction)
)

// PrequentialScore keeps a learner's test-then-train scores: a cumulative
// confusion matrix and one over the last window scored frames, from which
// every score (accuracy, balanced accuracy, precision, recall, F1, kappa)
// is derived. Add allocates nothing unless a label larger than any seen
// so far arrives (the matrices then grow, at most to MaxLabel+1 square).
type PrequentialScore struct {
	n, correct int64
	conf       [][]int64 // cumulative, [truth][prediction]

	// window holds the last len(window) (truth, prediction) pairs packed
	// as truth<<8|prediction, or oorHit/oorMiss when a label is outside
	// 0..MaxLabel (counted in accuracy, not in the confusion matrices; the
	// pipeline never scores such labels).
	window  []uint16
	winPos  int
	winFill int
	winHits int
	winConf [][]int64
}

const (
	oorHit  = 0xfffe
	oorMiss = 0xffff
)

// NewPrequentialScore returns a score with the given sliding window
// (DefaultWindow when window <= 0).
func NewPrequentialScore(window int) *PrequentialScore {
	if window <= 0 {
		window = DefaultWindow
	}
	return &PrequentialScore{window: make([]uint16, window)}
}

// Add scores one prediction against the truth.
func (s *PrequentialScore) Add(truth, pred int) {
	hit := truth == pred
	s.n++
	if hit {
		s.correct++
	}
	packed := uint16(oorMiss)
	if truth >= 0 && truth <= MaxLabel && pred >= 0 && pred <= MaxLabel {
		packed = uint16(truth)<<8 | uint16(pred)
		if k := max(truth, pred) + 1; k > len(s.conf) {
			s.conf = grow(s.conf, k)
			s.winConf = grow(s.winConf, k)
		}
		s.conf[truth][pred]++
		s.winConf[truth][pred]++
	} else if hit {
		packed = oorHit
	}
	if s.winFill == len(s.window) {
		switch old := s.window[s.winPos]; old {
		case oorMiss:
		case oorHit:
			s.winHits--
		default:
			t, p := old>>8, old&0xff
			s.winConf[t][p]--
			if t == p {
				s.winHits--
			}
		}
	} else {
		s.winFill++
	}
	s.window[s.winPos] = packed
	if hit {
		s.winHits++
	}
	s.winPos++
	if s.winPos == len(s.window) {
		s.winPos = 0
	}
}

func grow(m [][]int64, k int) [][]int64 {
	for i := range m {
		row := make([]int64, k)
		copy(row, m[i])
		m[i] = row
	}
	for len(m) < k {
		m = append(m, make([]int64, k))
	}
	return m
}

// N is the number of scored samples.
func (s *PrequentialScore) N() int64 { return s.n }

// Accuracy is the fraction of all scored samples predicted right.
func (s *PrequentialScore) Accuracy() float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.correct) / float64(s.n)
}

// WindowAccuracy is the accuracy over the last window samples.
func (s *PrequentialScore) WindowAccuracy() float64 {
	if s.winFill == 0 {
		return 0
	}
	return float64(s.winHits) / float64(s.winFill)
}

// Kappa is Cohen's kappa of all predictions so far: agreement beyond what
// the label and prediction frequencies would give by chance. 0 when
// undefined (no samples, or chance agreement is 1).
func (s *PrequentialScore) Kappa() float64 { return kappa(s.conf) }

// Confusion returns a copy of the cumulative confusion matrix,
// [truth][prediction], square over labels 0..largest seen.
func (s *PrequentialScore) Confusion() [][]int64 { return copyMatrix(s.conf) }

// WindowConfusion returns a copy of the confusion matrix of the window.
func (s *PrequentialScore) WindowConfusion() [][]int64 { return copyMatrix(s.winConf) }

// Scores derives every score from the cumulative confusion matrix.
func (s *PrequentialScore) Scores() Scores { return ScoresOf(s.conf) }

// WindowScores derives every score from the window's confusion matrix.
func (s *PrequentialScore) WindowScores() Scores { return ScoresOf(s.winConf) }

func copyMatrix(m [][]int64) [][]int64 {
	out := make([][]int64, len(m))
	flat := make([]int64, len(m)*len(m))
	for i, r := range m {
		out[i] = flat[i*len(m) : (i+1)*len(m) : (i+1)*len(m)]
		copy(out[i], r)
	}
	return out
}

// Scores are the scores of one confusion matrix. Precision, Recall and F1
// are of the attack class (label 1) when every label seen is 0 or 1
// (Averaging "binary"), else unweighted means over every label seen as
// truth or prediction (Averaging "macro"), as scikit-learn's
// precision_recall_fscore_support with average="binary" (pos_label=1) or
// "macro" and zero_division=0. BalancedAccuracy is the mean recall over
// the labels that occur as truth (scikit-learn's balanced_accuracy_score).
// Every score is 0 when nothing was scored.
type Scores struct {
	N                int64   `json:"n"`
	Accuracy         float64 `json:"accuracy"`
	BalancedAccuracy float64 `json:"balanced_accuracy"`
	Precision        float64 `json:"precision"`
	Recall           float64 `json:"recall"`
	F1               float64 `json:"f1"`
	Kappa            float64 `json:"kappa"`
	Averaging        string  `json:"averaging"`
	// In binary runs: frames whose truth is the attack class, and frames
	// predicted as it. Precision is undefined (reported 0, as scikit-learn's
	// zero_division=0) without predicted attacks, recall without true ones,
	// F1 without either: a window with no attack in it says nothing about
	// detection, and the window shows it as such (see Defined).
	AttackTruth     int64 `json:"attack_truth"`
	AttackPredicted int64 `json:"attack_predicted"`
}

// Defined reports which of Precision, Recall and F1 carry information:
// in binary runs precision needs a predicted attack, recall a true one and
// F1 either; macro averages are defined once anything was scored.
func (sc Scores) Defined() (precision, recall, f1 bool) {
	if sc.N == 0 {
		return false, false, false
	}
	if sc.Averaging == AveragingMacro {
		return true, true, true
	}
	return sc.AttackPredicted > 0, sc.AttackTruth > 0, sc.AttackPredicted > 0 || sc.AttackTruth > 0
}

// ScoresOf computes Scores from a square confusion matrix
// [truth][prediction].
func ScoresOf(conf [][]int64) Scores {
	k := len(conf)
	var n, diag int64
	for i := range k {
		for j := range k {
			n += conf[i][j]
		}
		diag += conf[i][i]
	}
	sc := Scores{N: n, Averaging: AveragingBinary}
	if n == 0 {
		return sc
	}
	sc.Accuracy = float64(diag) / float64(n)
	sc.Kappa = kappa(conf)

	// Per-label precision, recall and F1 in label order, as scikit-learn
	// computes them (F1 from precision and recall, 0 when both are 0).
	var recallSum, precSum, f1Sum float64
	var withTruth, seen int
	binary := k <= AttackLabel+1
	for c := range k {
		var row, col int64
		for j := range k {
			row += conf[c][j]
			col += conf[j][c]
		}
		tp := conf[c][c]
		var p, r, f float64
		if col > 0 {
			p = float64(tp) / float64(col)
		}
		if row > 0 {
			r = float64(tp) / float64(row)
			recallSum += r
			withTruth++
		}
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		if binary && c == AttackLabel {
			sc.Precision, sc.Recall, sc.F1 = p, r, f
			sc.AttackTruth, sc.AttackPredicted = row, col
		}
		if row > 0 || col > 0 {
			precSum += p
			f1Sum += f
			seen++
		}
	}
	// Recall of a label is the same sum as its balanced-accuracy term.
	if withTruth > 0 {
		sc.BalancedAccuracy = recallSum / float64(withTruth)
	}
	if !binary {
		sc.Averaging = AveragingMacro
		// macro recall averages over labels seen as truth or prediction;
		// a label only ever predicted has recall 0 (zero_division=0).
		sc.Precision = precSum / float64(seen)
		sc.Recall = recallSum / float64(seen)
		sc.F1 = f1Sum / float64(seen)
	}
	return sc
}

// kappa is Cohen's kappa of a confusion matrix (0 when undefined).
func kappa(conf [][]int64) float64 {
	var total int64
	for i := range conf {
		for j := range conf {
			total += conf[i][j]
		}
	}
	if total == 0 {
		return 0
	}
	n := float64(total)
	var po, pc float64
	for i := range conf {
		var rowSum, colSum float64
		for j := range conf {
			rowSum += float64(conf[i][j])
			colSum += float64(conf[j][i])
		}
		po += float64(conf[i][i])
		pc += (rowSum / n) * (colSum / n)
	}
	po /= n
	if pc >= 1 {
		return 0
	}
	return (po - pc) / (1 - pc)
}

// KappaAgainst compares an accuracy with a baseline's: kappa-M against the
// majority class, kappa-T against no-change (Bifet et al. 2015). 0 when the
// baseline is perfect.
func KappaAgainst(acc, baselineAcc float64) float64 {
	if baselineAcc >= 1 {
		return 0
	}
	return (acc - baselineAcc) / (1 - baselineAcc)
}
