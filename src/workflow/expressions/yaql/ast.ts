/** The YAQL syntax tree. `pos` is the offset of the node's first token in the expression. */
export type Node =
  | { readonly kind: 'constant'; readonly value: unknown; readonly pos: number }
  | { readonly kind: 'keyword'; readonly name: string; readonly pos: number }
  | { readonly kind: 'variable'; readonly name: string; readonly pos: number }
  | { readonly kind: 'wrap'; readonly inner: Node; readonly pos: number }
  | { readonly kind: 'list'; readonly items: readonly Node[]; readonly pos: number }
  | { readonly kind: 'dict'; readonly entries: readonly Arg[]; readonly pos: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Arg[]; readonly pos: number }
  | { readonly kind: 'index'; readonly target: Node; readonly args: readonly Arg[]; readonly pos: number }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: Node; readonly pos: number }
  | {
      readonly kind: 'binary';
      readonly op: string;
      readonly left: Node;
      readonly right: Node;
      readonly pos: number;
    };

/** A call argument: positional (`name` undefined) or `name => value`. */
export interface Arg {
  /** The left side of `=>` when the argument is a mapping rule. */
  readonly key?: Node;
  readonly value: Node;
}
