package runtime

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// MaxFunctionID is the longest FunctionID: a deployed function is named
// by a prefix of at most 12 characters, a hyphen and the unit's
// FunctionID, which fits the 64 characters that both AWS Lambda and
// Function Compute allow.
const MaxFunctionID = 51

// FunctionID returns the part of a deployed function's name that stands
// for unit: the deployment files name each unit's function
// "PREFIX-"+FunctionID(unit), and the invokers find it by the same name,
// so the two never disagree. It depends on the unit's name alone, so it
// is stable across regenerations, and distinct units get distinct IDs.
//
// A unit whose name is made of ASCII letters, digits, underscores and
// colons, and fits, is spelled as it is with each colon written as a
// hyphen: "task:Charge" is "task-Charge", "branch:Enrich:0" is
// "branch-Enrich-0". Any other name is cut to fit, its other characters
// written as underscores, and ends in a hyphen and the first 8 hex digits
// of the SHA-256 of the name, so that names that spell alike stay apart.
// Every ID is a valid name in both clouds: letters, digits, underscores
// and hyphens, starting with a letter (units start with their kind).
func FunctionID(unit string) string {
	plain := len(unit) <= MaxFunctionID
	for i := 0; i < len(unit) && plain; i++ {
		plain = isIDByte(unit[i]) || unit[i] == ':'
	}
	if plain && unit != "" && isLetter(unit[0]) {
		return strings.ReplaceAll(unit, ":", "-")
	}
	sum := sha256.Sum256([]byte(unit))
	suffix := "-" + hex.EncodeToString(sum[:4])
	id := make([]byte, 0, MaxFunctionID)
	id = append(id, 'u')
	for _, r := range unit {
		if len(id) == MaxFunctionID-len(suffix) {
			break
		}
		switch {
		case r == ':':
			id = append(id, '-')
		case r < 0x80 && isIDByte(byte(r)):
			id = append(id, byte(r))
		default:
			id = append(id, '_')
		}
	}
	if len(unit) > 0 && isLetter(unit[0]) {
		id = id[1:]
	}
	return string(id) + suffix
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isIDByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' || c == '_' }
