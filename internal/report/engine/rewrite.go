package engine

import "text/template/parse"

// rewrite inserts the sandbox's checks into a parsed tree:
//
//   - {{_tick}} at the start of the template body and of every range body
//     (checks deadline and context once per iteration or call);
//   - {{range X}} becomes {{range X | _rangeGuard}} (refuses too many items);
//   - {{X}} becomes {{X | _out}} (refuses to print values too large, too
//     deep or cyclic before fmt builds them in memory).
func rewrite(tr *parse.Tree) {
	tr.Root.Nodes = append([]parse.Node{tickNode(tr, tr.Root.Pos)}, tr.Root.Nodes...)
	rewriteList(tr, tr.Root)
}

func rewriteList(tr *parse.Tree, list *parse.ListNode) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if len(n.Pipe.Decl) == 0 {
				n.Pipe.Cmds = append(n.Pipe.Cmds, command(tr, "_out", n.Pos))
			}
		case *parse.IfNode:
			rewriteList(tr, n.List)
			rewriteList(tr, n.ElseList)
		case *parse.WithNode:
			rewriteList(tr, n.List)
			rewriteList(tr, n.ElseList)
		case *parse.RangeNode:
			n.Pipe.Cmds = append(n.Pipe.Cmds, command(tr, "_rangeGuard", n.Pos))
			if n.List == nil {
				n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: n.Pos}
			}
			n.List.Nodes = append([]parse.Node{tickNode(tr, n.Pos)}, n.List.Nodes...)
			rewriteList(tr, n.List)
			rewriteList(tr, n.ElseList)
		case *parse.ListNode:
			rewriteList(tr, n)
		}
	}
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
