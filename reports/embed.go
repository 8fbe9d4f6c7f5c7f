// Package reports holds renda's built-in report plugins, one folder each.
// They are embedded in the binary and loaded like any plugin folder.
package reports

import "embed"

// FS holds the plugin folders: manifest, query and templates of each.
//
//go:embed */manifest.yaml */query.graphql */*.tmpl
var FS embed.FS
