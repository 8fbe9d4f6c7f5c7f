package records

import "strconv"

// set, setList and setMap apply one field of a patch: nil means "leave it".
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func setPtr[T any](dst **T, v *T) {
	if v != nil {
		c := *v
		*dst = &c
	}
}

func setList[T any](dst *[]T, v []T) {
	if v != nil {
		*dst = v
	}
}

func setMap(dst *map[string]any, v map[string]any) {
	if v != nil {
		*dst = v
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
