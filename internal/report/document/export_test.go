package document

// NeedsEscape is the look Escape takes before escaping; EscapeAll escapes
// without it.
var (
	NeedsEscape = needsEscape
	EscapeAll   = escape
)
