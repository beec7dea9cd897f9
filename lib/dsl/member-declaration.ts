/** What kind of class element a decorator was applied to. */
export type MemberKind = 'method' | 'getter' | 'setter' | 'field' | 'accessor';

/**
 * What `@node` or `@immediate` recorded about one member; the scanner turns it into a node.
 * Nothing here is validated yet, except names that would touch a prototype: problems are
 * recorded (`problem`) and reported by the scanner, which knows the class, at its first `new`.
 */
export interface MemberDeclaration {
  /** The member's name, which is also the node's name. */
  readonly name: string;
  readonly role: 'node' | 'immediate';
  readonly member: MemberKind;
  /** Dependency names, in declared order (only for `@node`). */
  readonly deps: readonly string[];
  /** `NodeOptions` as given; validated by the scanner. */
  readonly options: unknown;
  /** Why this declaration is invalid (it becomes an `INVALID_NODE` error at the first `new`). */
  readonly problem: string | undefined;
}
