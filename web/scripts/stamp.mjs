// Writes dist/SOURCES.txt: the SHA-256 of every source file of the console
// (every file under web/ except node_modules/, dist/ and Go files), so a Go
// test (web/build_test.go) can tell when the committed build is stale.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const skipDirs = new Set(['node_modules', 'dist'])

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) {
      if (!skipDirs.has(name) && !name.startsWith('.')) walk(p, out)
    } else if (!name.endsWith('.go') && !name.startsWith('.')) {
      out.push(relative(root, p).split(sep).join('/'))
    }
  }
  return out
}

const files = walk(root, []).sort()
const lines = files.map((f) => createHash('sha256').update(readFileSync(join(root, f))).digest('hex') + '  ' + f)
writeFileSync(join(root, 'dist', 'SOURCES.txt'), lines.join('\n') + '\n')
console.log(`dist/SOURCES.txt: ${files.length} source files`)
