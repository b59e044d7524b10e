import type { Schemas } from '../api/kv-client.js';

export type ImportPlan = Schemas['ImportPlanDto'];

interface Group {
  label: string;
  keys: { key: string; note: string }[];
}

function groups(plan: ImportPlan): Group[] {
  return [
    {
      label: 'Created',
      keys: plan.created.map((item) => ({ key: item.key, note: `version ${item.version}` })),
    },
    {
      label: 'Updated',
      keys: plan.updated.map((item) => ({
        key: item.key,
        note: `version ${item.previousVersion} → ${item.version}`,
      })),
    },
    {
      label: 'Unchanged',
      keys: plan.unchanged.map((item) => ({ key: item.key, note: `version ${item.version}` })),
    },
    {
      label: 'Deleted',
      keys: plan.deleted.map((item) => ({ key: item.key, note: `version ${item.version}` })),
    },
  ];
}

/** What an import does (dry run) or did, key by key: never a value. */
export function ImportPlanView({ plan }: { plan: ImportPlan }) {
  return (
    <section class="import-plan" aria-labelledby="import-plan-title">
      <h3 id="import-plan-title">
        {plan.dryRun ? 'Plan (dry run: nothing changed yet)' : 'Imported'}
      </h3>
      <div class="plan-groups">
        {groups(plan).map((group) => (
          <div key={group.label} class={`plan-group ${group.label.toLowerCase()}`}>
            <h4>
              {group.label} ({group.keys.length})
            </h4>
            {group.keys.length > 0 && (
              <ul aria-label={`${group.label} keys`}>
                {group.keys.map((item) => (
                  <li key={item.key}>
                    <code>{item.key}</code> <span class="hint">{item.note}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
