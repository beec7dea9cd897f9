// Every metadata key of the class DSL, in one place. Registered symbols (`Symbol.for`), so that
// an ES module copy and a CommonJS copy of the library read each other's declarations.

/** Own declarations of one class: a `Map<member name, MemberDeclaration>`, in declaration order. */
export const NODE_DECLARATIONS = Symbol.for('async-dag:node-declarations');

/** A static brand on `Dag`, inherited by every subclass; registered, so any copy of the library recognises it. */
export const DAG_CLASS: unique symbol = Symbol.for('async-dag:dag-class') as never;
