// Notice templates with `{{name}}` placeholders. Pure.

export const DEFAULT_WARN_CUSTOMER_TEMPLATE = `Dear {{name}},

We have reviewed recent refund requests on your account ({{accountId}}). Some of them match the
pattern of "refund services": paid schemes that obtain refunds for items that were delivered.
Buying such a service is fraud. It can lead to the closure of your account, the recovery of the
refunded amounts and a report to law enforcement.

If you believe this is a mistake, reply to this message and our team will review your account.

{{marketplace}} Trust & Safety`;

/** Replaces `{{key}}` with the value; unknown keys become empty text. */
export function renderTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (_whole, key: string) => values[key] ?? '');
}
