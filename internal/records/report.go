package records

import (
	"slices"
	"strings"
	"time"
)

// ReportVersion is one saved version of a report plugin uploaded through
// the API. Versions are never changed or deleted: saving writes version
// n+1, and rolling back saves an old version's files again as a new one,
// so the history stays whole.
type ReportVersion struct {
	ID        string       `json:"id" bson:"_id"` // PluginID@Version
	PluginID  string       `json:"pluginId" bson:"pluginId"`
	Version   int          `json:"version" bson:"version"`
	Files     []ReportFile `json:"files" bson:"files"`
	Note      string       `json:"note,omitempty" bson:"note,omitempty"`
	CreatedAt time.Time    `json:"createdAt" bson:"createdAt"`
	CreatedBy string       `json:"createdBy" bson:"createdBy"`
	// Townships are the townships the version was uploaded for: those of
	// the admin who saved it, sorted; nil when a county admin saved it. A
	// render uses the newest version saved for the caller's townships,
	// else the county's (see report.Registry).
	Townships []string `json:"townships,omitempty" bson:"townships,omitempty"`
}

// Scope names the townships a version is for, as a key: "" for the
// county, else the township ids joined by commas.
func (v *ReportVersion) Scope() string { return ScopeOf(v.Townships) }

// ScopeOf is the scope key of a list of townships (nil: the county).
func ScopeOf(townships []string) string {
	if townships == nil {
		return ""
	}
	return strings.Join(slices.Sorted(slices.Values(townships)), ",")
}

// ReportFile is one file of a plugin folder: manifest.yaml, query.graphql
// or a template. Files are a list, not a map, because names hold dots.
type ReportFile struct {
	Name    string `json:"name" bson:"name"`
	Content string `json:"content" bson:"content"`
}
