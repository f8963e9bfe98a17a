// Administration: the notice the warn-customer action sends.
import { type FormEvent, useState } from 'react';
import { api } from '../../api/index.ts';
import { ErrorBanner } from '../../components/Feedback.tsx';
import { useAsync } from '../../use-async.ts';
import { AdminFrame, Panel, useChange } from './AdminFrame.tsx';

export function TemplatePage() {
  const template = useAsync((signal) => api.admin.template(signal), []);
  const [draft, setDraft] = useState<string>();
  const [saved, setSaved] = useState(false);
  const change = useChange(template.reload);
  const body = draft ?? template.data ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const result = await change.run(() => api.admin.setTemplate(body));
    if (result !== undefined) {
      setDraft(undefined);
      setSaved(true);
    }
  };
  return (
    <AdminFrame page="template">
      <Panel title="Warn-customer notice">
        <p className="muted">
          Sent by the <strong>warn customer</strong> action. Placeholders: <code>{'{{name}}'}</code>,{' '}
          <code>{'{{accountId}}'}</code>, <code>{'{{email}}'}</code>, <code>{'{{marketplace}}'}</code>.
        </p>
        <ErrorBanner message={template.error ?? change.error} />
        <form onSubmit={submit} aria-label="Warn-customer notice">
          <label className="field">
            Notice text
            <textarea
              className="template-text"
              rows={12}
              value={body}
              onChange={(e) => {
                setSaved(false);
                setDraft(e.target.value);
              }}
            />
          </label>
          <div className="inline-form">
            <button type="submit" className="primary" disabled={change.busy || draft === undefined}>
              Save notice
            </button>
            {saved ? <span role="status">Saved.</span> : null}
          </div>
        </form>
      </Panel>
    </AdminFrame>
  );
}
