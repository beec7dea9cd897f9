// Inheritance: an abstract base class declares the flow, subclasses fill in the steps, override
// nodes (with or without a new declaration) and add nodes of their own.
// #region docs
import { Dag, graphOf, immediate, node } from 'async-dag';

interface Params {
  readonly id: number;
}

abstract class Importer<T> extends Dag<Params> {
  protected abstract load(id: number): Promise<T>;

  @immediate id(params: Params) {
    return params.id;
  }
  @node('id') async record(id: number): Promise<T> {
    return this.load(id);
  }
  @node('record') validate(record: T): boolean {
    return record !== undefined;
  }
}

class UserImporter extends Importer<{ name: string }> {
  protected async load(id: number) {
    return { name: `user-${id}` };
  }

  // Not decorated: keeps the inherited declaration (depends on 'record'), runs this method.
  override validate(record: { name: string }) {
    return record.name.startsWith('user-');
  }

  // A new node that depends on inherited ones.
  @node('record', 'validate') save(record: { name: string }, valid: boolean) {
    return valid ? `saved ${record.name}` : 'skipped';
  }
}

class AuditedImporter extends UserImporter {
  @immediate auditor() {
    return 'audit';
  }

  // Decorated: replaces the declaration, here with one more dependency.
  @node('record', 'validate', 'auditor') override save(record: { name: string }, valid: boolean, auditor?: string) {
    return `${super.save(record, valid)} (checked by ${auditor})`;
  }
}

export async function main(log: (line: string) => void = console.log): Promise<string[]> {
  const users = await new UserImporter().invoke({ id: 7 });
  log(users.get('save')); // saved user-7
  const audited = await new AuditedImporter().invoke({ id: 8 });
  log(audited.get('save')); // saved user-8 (checked by audit)
  log(
    graphOf(AuditedImporter)
      .nodes.map((n) => `${n.name} <- [${n.dependencies.join(', ')}]`)
      .join('\n'),
  );
  return [users.get('save'), audited.get('save')];
}
// #endregion docs

if (require.main === module) void main();
