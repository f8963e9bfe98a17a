// The API's documents, generated from the running app's OpenAPI (itself generated from the zod
// schemas of src/contract): docs/openapi.json as is, and docs/console-api.md, a readable map of the
// same routes with the role table of src/core/access.ts. `npm run docs:api` writes both; a test
// fails when the committed files differ from what the code generates.
import { PERMISSIONS, USER_ROLE_PERMISSIONS, USER_ROLES } from '../../core/access.ts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  description?: string;
  additionalProperties?: JsonSchema | boolean;
  default?: unknown;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  'x-permission'?: string;
}

export interface OpenApiDocument {
  info: { title: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const MAX_DEPTH = 4;

function typeName(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeName).join(' \\| ');
  if (schema.type === 'array') return `${schema.items ? typeName(schema.items) : 'any'}[]`;
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ');
  if (schema.type === 'object' && !schema.properties) return 'object';
  return schema.type ?? 'any';
}

/** An object schema's fields as table rows, nested ones as dotted paths. */
function fieldRows(schema: JsonSchema, prefix = '', depth = 0): string[] {
  const objectSchema = schema.type === 'array' && schema.items ? schema.items : schema;
  const variants = objectSchema.anyOf ?? objectSchema.oneOf;
  const withFields = variants?.find((variant) => variant.properties) ?? objectSchema;
  if (!withFields.properties || depth >= MAX_DEPTH) return [];
  const path = schema.type === 'array' && prefix !== '' ? `${prefix}[]` : prefix;
  return Object.entries(withFields.properties).flatMap(([name, field]) => {
    const fullName = path === '' ? name : `${path}.${name}`;
    const required = withFields.required?.includes(name) ? 'yes' : '';
    const description = (field.description ?? '').replace(/\n/g, ' ').replace(/\|/g, '\\|');
    return [
      `| \`${fullName}\` | ${typeName(field)} | ${required} | ${description} |`,
      ...fieldRows(field, fullName, depth + 1),
    ];
  });
}

function fieldTable(schema: JsonSchema | undefined): string[] {
  if (schema === undefined) return [];
  const rows = fieldRows(schema);
  if (rows.length === 0) return [`\`${typeName(schema)}\``, ''];
  return ['| field | type | required | meaning |', '|---|---|---|---|', ...rows, ''];
}

function jsonBody(content: Record<string, { schema?: JsonSchema }> | undefined): JsonSchema | undefined {
  return content?.['application/json']?.schema;
}

function operationSection(method: string, path: string, operation: Operation): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ''];
  if (operation.summary) lines.push(`${operation.summary}.`, '');
  if (operation.description) lines.push(operation.description, '');
  if (operation['x-permission']) lines.push(`Permission: \`${operation['x-permission']}\`.`, '');
  const parameters = operation.parameters ?? [];
  if (parameters.length > 0) {
    lines.push('| parameter | in | type | required | meaning |', '|---|---|---|---|---|');
    for (const parameter of parameters) {
      const type = parameter.schema ? typeName(parameter.schema) : 'string';
      const description = (parameter.description ?? parameter.schema?.description ?? '').replace(
        /\|/g,
        '\\|',
      );
      lines.push(
        `| \`${parameter.name}\` | ${parameter.in} | ${type} | ${parameter.required ? 'yes' : ''} | ${description} |`,
      );
    }
    lines.push('');
  }
  const body = jsonBody(operation.requestBody?.content);
  if (body) lines.push('Body:', '', ...fieldTable(body));
  const responses = Object.entries(operation.responses ?? {});
  const success = responses.filter(([status]) => status.startsWith('2'));
  for (const [status, response] of success) {
    const schema = jsonBody(response.content);
    lines.push(`Answers ${status}${schema ? ':' : '.'}`, '');
    if (schema) lines.push(...fieldTable(schema));
  }
  const errors = responses.filter(([status]) => !status.startsWith('2')).map(([status]) => status);
  if (errors.length > 0) lines.push(`Problems: ${errors.join(', ')}.`, '');
  return lines;
}

function roleTable(): string[] {
  const lines = [`| permission | ${USER_ROLES.map((role) => `\`${role}\``).join(' | ')} |`];
  lines.push(`|---|${USER_ROLES.map(() => '---').join('|')}|`);
  for (const permission of PERMISSIONS) {
    const cells = USER_ROLES.map((role) =>
      (USER_ROLE_PERMISSIONS[role] as readonly string[]).includes(permission) ? 'yes' : '',
    );
    lines.push(`| \`${permission}\` | ${cells.join(' | ')} |`);
  }
  return lines;
}

const INTRODUCTION = `The investigator console (\`web/\`) and systems call the same \`/v1\` API. People sign in with a
session cookie (\`POST /v1/session\`) and send the CSRF token it returns as \`x-csrf-token\` on every
state-changing call; systems send an API key (\`Authorization: Bearer <key>\` or \`X-API-Key\`).
Request bodies, queries and replies are checked against the zod schemas of \`src/contract/\`, from
which this page and \`docs/openapi.json\` are generated (\`npm run docs:api\`). Errors are RFC 9457
problems (\`application/problem+json\`): \`{type, title, status, detail?, errors?: [{field, reason}], requestId?}\`.
Times are RFC 3339 strings. A call the caller's role does not allow answers 403 and leaves an audit line.`;

/** docs/console-api.md from the OpenAPI document. */
export function consoleApiMarkdown(document: OpenApiDocument): string {
  const lines = [
    '# refundguard API',
    '',
    '<!-- Generated by `npm run docs:api` from the zod schemas in src/contract; do not edit by hand. -->',
    '',
    INTRODUCTION,
    '',
    '## Roles of people (console users)',
    '',
    ...roleTable(),
    '',
  ];
  const tagOrder = (document.tags ?? []).map((tag) => tag.name);
  const byTag = new Map<string, [string, string, Operation][]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags?.[0] ?? 'other';
      if (!tagOrder.includes(tag)) tagOrder.push(tag);
      byTag.set(tag, [...(byTag.get(tag) ?? []), [method, path, operation]]);
    }
  }
  for (const tag of tagOrder) {
    const operations = byTag.get(tag);
    if (!operations) continue;
    const description = document.tags?.find((entry) => entry.name === tag)?.description;
    lines.push(`## ${tag[0]?.toUpperCase()}${tag.slice(1)}`, '');
    if (description) lines.push(description, '');
    for (const [method, path, operation] of operations)
      lines.push(...operationSection(method, path, operation));
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
