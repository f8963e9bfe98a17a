// What the timeline groups its events by, and a contact's transcript, read from the event's type and
// payload (the API sends each event as it was ingested).
import { z } from 'zod';
import type { TimelineItem } from '../../api/index.ts';

export type TimelineKind =
  | 'order'
  | 'delivery'
  | 'login'
  | 'contact'
  | 'refund'
  | 'return'
  | 'agent'
  | 'other';

export function timelineKind(item: TimelineItem): TimelineKind {
  const { type, data } = item;
  if (type.includes('deliver')) return 'delivery';
  if (type.startsWith('order')) return 'order';
  if (type.includes('login')) return 'login';
  if (type.startsWith('contact') || Array.isArray(data.messages)) return 'contact';
  if (type.startsWith('refund')) return 'refund';
  if (type.startsWith('return')) return 'return';
  if (type.startsWith('agent')) return 'agent';
  return 'other';
}

/** The messages of a `contact.created` payload (the event contract's contact messages). */
const transcriptSchema = z.array(z.looseObject({ from: z.string(), text: z.string() }));

export function contactMessages(item: TimelineItem): { from: string; text: string }[] {
  const parsed = transcriptSchema.safeParse(item.data.messages);
  return parsed.success ? parsed.data : [];
}
