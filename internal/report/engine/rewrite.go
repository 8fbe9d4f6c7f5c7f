package engine

import (
	"strconv"
	"text/template/parse"
)

// rewrite inserts the sandbox's checks into a parsed tree:
//
//   - {{_tick}} at the start of the template body and of every range body
//     (checks deadline and context once per iteration or call);
//   - {{range X}} becomes {{range X | _rangeGuard}} (refuses too many items);
//   - {{X}} becomes {{X | _out}} (refuses to print values too large, too
//     deep or cyclic before fmt builds them in memory);
//   - {{template "t" X}} becomes {{_enter d}}{{template "t" X}}{{_leave d}}
//     and include "t" X becomes _includeAt d "t" X, where d is the number of
//     frames the call site stands in (the template, and every if, with and
//     range around it): the execution adds them up and refuses to go deeper
//     than maxFrames, far below what the goroutine stack holds.
//
// It returns an error when a template nests if/with/range or parentheses
// deeper than maxBlockNesting.
func rewrite(tr *parse.Tree) error {
	tr.Root.Nodes = append([]parse.Node{tickNode(tr, tr.Root.Pos)}, tr.Root.Nodes...)
	return rewriteList(tr, tr.Root, 1)
}

func rewriteList(tr *parse.Tree, list *parse.ListNode, depth int) error {
	if list == nil {
		return nil
	}
	if depth > maxBlockNesting {
		return &nestingError{tr: tr, pos: list.Pos}
	}
	var out []parse.Node
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if err := rewritePipe(tr, n.Pipe, depth); err != nil {
				return err
			}
			if len(n.Pipe.Decl) == 0 {
				n.Pipe.Cmds = append(n.Pipe.Cmds, command(tr, "_out", n.Pos))
			}
		case *parse.IfNode:
			if err := rewriteBranch(tr, &n.BranchNode, depth); err != nil {
				return err
			}
		case *parse.WithNode:
			if err := rewriteBranch(tr, &n.BranchNode, depth); err != nil {
				return err
			}
		case *parse.RangeNode:
			n.Pipe.Cmds = append(n.Pipe.Cmds, command(tr, "_rangeGuard", n.Pos))
			if n.List == nil {
				n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: n.Pos}
			}
			n.List.Nodes = append([]parse.Node{tickNode(tr, n.Pos)}, n.List.Nodes...)
			if err := rewriteBranch(tr, &n.BranchNode, depth); err != nil {
				return err
			}
		case *parse.TemplateNode:
			if err := rewritePipe(tr, n.Pipe, depth); err != nil {
				return err
			}
			enter := frameNode(tr, "_enter", depth, n.Pos)
			enter.Pipe.Cmds[0].Args = append(enter.Pipe.Cmds[0].Args, &parse.StringNode{NodeType: parse.NodeString, Pos: n.Pos, Quoted: strconv.Quote(n.Name), Text: n.Name})
			out = append(out, enter, n, frameNode(tr, "_leave", depth, n.Pos))
			continue
		case *parse.ListNode:
			if err := rewriteList(tr, n, depth); err != nil {
				return err
			}
		}
		out = append(out, n)
	}
	list.Nodes = out
	return nil
}

func rewriteBranch(tr *parse.Tree, b *parse.BranchNode, depth int) error {
	if err := rewritePipe(tr, b.Pipe, depth); err != nil {
		return err
	}
	if err := rewriteList(tr, b.List, depth+1); err != nil {
		return err
	}
	return rewriteList(tr, b.ElseList, depth+1)
}

// rewritePipe turns include calls into _includeAt calls that carry the
// frames of their call site, and bounds parentheses.
func rewritePipe(tr *parse.Tree, p *parse.PipeNode, depth int) error {
	return walkPipe(tr, p, depth, 0)
}

func walkPipe(tr *parse.Tree, p *parse.PipeNode, depth, parens int) error {
	if p == nil {
		return nil
	}
	if parens > maxBlockNesting {
		return &nestingError{tr: tr, pos: p.Pos}
	}
	for _, c := range p.Cmds {
		if len(c.Args) > 0 {
			if id, ok := c.Args[0].(*parse.IdentifierNode); ok && id.Ident == "include" {
				at := parse.NewIdentifier("_includeAt").SetTree(tr).SetPos(id.Pos)
				c.Args = append([]parse.Node{at, number(tr, depth, id.Pos)}, c.Args[1:]...)
			}
		}
		for _, a := range c.Args {
			if sub, ok := a.(*parse.PipeNode); ok {
				if err := walkPipe(tr, sub, depth, parens+1); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// nestingError is a template nested deeper than maxBlockNesting.
type nestingError struct {
	tr  *parse.Tree
	pos parse.Pos
}

func (e *nestingError) Error() string {
	loc, _ := e.tr.ErrorContext(&parse.TextNode{NodeType: parse.NodeText, Pos: e.pos})
	return "template: " + loc + ": nests if/with/range or parentheses more than " + strconv.Itoa(maxBlockNesting) + " levels deep"
}

func number(tr *parse.Tree, n int, pos parse.Pos) parse.Node {
	s := strconv.Itoa(n)
	return &parse.NumberNode{NodeType: parse.NodeNumber, Pos: pos, IsInt: true, Int64: int64(n),
		IsUint: true, Uint64: uint64(n), IsFloat: true, Float64: float64(n), Text: s}
}

func frameNode(tr *parse.Tree, fn string, depth int, pos parse.Pos) *parse.ActionNode {
	cmd := command(tr, fn, pos)
	cmd.Args = append(cmd.Args, number(tr, depth, pos))
	return &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos,
		Pipe: &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{cmd}}}
}

func command(tr *parse.Tree, fn string, pos parse.Pos) *parse.CommandNode {
	return &parse.CommandNode{
		NodeType: parse.NodeCommand,
		Pos:      pos,
		Args:     []parse.Node{parse.NewIdentifier(fn).SetTree(tr).SetPos(pos)},
	}
}

func tickNode(tr *parse.Tree, pos parse.Pos) *parse.ActionNode {
	return &parse.ActionNode{
		NodeType: parse.NodeAction,
		Pos:      pos,
		Pipe: &parse.PipeNode{
			NodeType: parse.NodePipe,
			Pos:      pos,
			Cmds:     []*parse.CommandNode{command(tr, "_tick", pos)},
		},
	}
}
