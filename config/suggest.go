package config

import "fmt"

// suggest returns ` (did you mean "X"?)` for the candidate closest to
// name, when one is close enough to be a likely misspelling, or "".
func suggest(name string, candidates []string) string {
	if len(name) > maxSuggest {
		return ""
	}
	best, bestDist := "", len(name)/3+1
	for _, cand := range candidates {
		if d := distance(name, cand); d <= bestDist && d > 0 && (best == "" || d < bestDist) {
			best, bestDist = cand, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// maxSuggest bounds the names suggest compares, so that a huge key costs
// no quadratic time.
const maxSuggest = 100

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
