/** The scenario format as JSON Schema (docs/scenario.schema.json), for completion in editors. */
import { z } from 'zod';
import { scenarioSchema } from './schema.ts';

export function renderScenarioJsonSchema(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'callrec scenario' }, null, 2)}\n`;
}
