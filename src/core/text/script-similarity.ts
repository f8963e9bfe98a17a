// Near-duplicate support scripts across accounts (MinHash + LSH). Refund services work from
// templated stories: the same sentences with a different name, amount, order number or date,
// sometimes reordered. Each contact's customer text becomes a MinHash signature over word
// 3-shingles taken within sentences (so reordering sentences changes nothing), with every token
// that holds a digit masked (order numbers, amounts, dates, case numbers). LSH bands find
// candidate look-alikes in microseconds; the signature estimates their Jaccard similarity.
//
// Contacts join a script family: the earliest earlier contact they resemble that started one
// (leader clustering, so one generic text cannot chain everything together). Families feed the
// link graph; `nearDuplicates` answers "how many other accounts wrote this, within [from, to)".
// Time-ordered adds give as-of answers: nothing at or after `to` is counted.
import { normalizeText } from './playbook.ts';

export interface ScriptIndexOptions {
  /** MinHash size; the estimate's standard error is about sqrt(J(1-J)/numHashes). */
  numHashes: number;
  /** LSH bands; `numHashes / bands` rows each. 24 × 3 puts the candidate threshold near 0.35. */
  bands: number;
  /** Estimated Jaccard similarity at or above which two texts are near-duplicates. */
  threshold: number;
  /** Texts with fewer distinct shingles are too generic to compare ("where is my order?"). */
  minShingles: number;
  /**
   * At most this many look-alike candidates (texts sharing a band) are read per add or query,
   * newest first, and at most `maxBucketScan` from one band: this bounds the cost. A text with
   * more in the window is everywhere: boilerplate.
   */
  maxCandidates: number;
  maxBucketScan: number;
  /**
   * A text that more than this many other accounts wrote within the window is boilerplate
   * (a help-centre form, a common phrasing), not a script: it counts for nothing.
   */
  boilerplateAccounts: number;
  /** Contacts older than this (behind the newest one added) are forgotten: memory stays bounded. */
  retentionMs: number;
  /** A family is joined only if its leader is at most this old. */
  familyWindowMs: number;
}

export const DEFAULT_SCRIPT_INDEX_OPTIONS: ScriptIndexOptions = {
  numHashes: 72,
  bands: 24,
  threshold: 0.5,
  minShingles: 6,
  maxCandidates: 128,
  maxBucketScan: 48,
  boilerplateAccounts: 50,
  retentionMs: 120 * 86_400_000,
  familyWindowMs: 120 * 86_400_000,
};

export interface ScriptContact {
  contactId: string;
  accountId: string;
  at: number;
  /** The customer's side of the conversation (agent lines left out). */
  text: string;
}

export type ScriptAddResult =
  | { indexed: true; family: string; shingles: number }
  | { indexed: false; reason: 'too_short' | 'already_indexed'; family: string | undefined; shingles: number };

export interface NearDuplicates {
  /** Distinct other accounts with a near-duplicate text in the window (0 when boilerplate). */
  accounts: number;
  /** Their contacts. */
  contacts: number;
  /** The text is so common in the window that it says nothing. */
  boilerplate: boolean;
  /** Too short to compare, or unknown contact. */
  comparable: boolean;
  /** Up to 20 of those accounts, most similar first (for reasons and case evidence). */
  accountIds: string[];
}

interface Entry {
  seq: number;
  contactId: string;
  accountId: string;
  at: number;
  /** Low 16 bits of each minimum: enough to estimate similarity, half the memory. */
  signature: Uint16Array;
  family: string;
  leader: boolean;
}

type Bucket = number | number[];

const NO_MATCH: NearDuplicates = {
  accounts: 0,
  contacts: 0,
  boilerplate: false,
  comparable: false,
  accountIds: [],
};

// --- Hashing --------------------------------------------------------------------------------

/** Murmur3's finaliser: a fast 32-bit mixer. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let index = 0; index < text.length; index += 1) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// --- Text to shingles -----------------------------------------------------------------------

const SENTENCE_BREAK = /[.!?;:\n\r]+|\s[-–—]\s/;
const TOKEN = /[a-z0-9]+(?:'[a-z]+)?/g;
const DIGIT = /[0-9]/;
const MASK = '#';
/** Anything outside printable ASCII (accents, ß, curly quotes) needs the full normalisation. */
const NON_ASCII = /[^\t\n\r\x20-\x7e]/;

/** Words of each sentence: accent-stripped, lower-case, tokens with a digit masked. */
export function scriptSentences(text: string): string[][] {
  // Plain ASCII needs no accent stripping (the Unicode normalisation is the costly part).
  const normalized = !NON_ASCII.test(text) ? text.toLowerCase() : normalizeText(text).replace(/ß/g, 'ss');
  const sentences: string[][] = [];
  for (const sentence of normalized.split(SENTENCE_BREAK)) {
    const words = sentence.match(TOKEN);
    if (!words) continue;
    const masked = words.map((word) => (DIGIT.test(word) ? MASK : word));
    // Collapse runs of masks: "12 / 09" and "12.09." read the same.
    const collapsed = masked.filter((word, index) => word !== MASK || masked[index - 1] !== MASK);
    sentences.push(collapsed);
  }
  return sentences;
}

/** Distinct hashed word 3-shingles, taken within sentences; sentences under 3 words add nothing. */
export function shingleHashes(text: string): Uint32Array {
  const seen = new Set<number>();
  for (const words of scriptSentences(text)) {
    if (words.length < 3) continue;
    let previous2 = fnv1a(words[0] as string);
    let previous1 = fnv1a(words[1] as string);
    for (let index = 2; index < words.length; index += 1) {
      const current = fnv1a(words[index] as string);
      const shingle = mix32(Math.imul(previous2, 0x9e3779b1) ^ Math.imul(previous1, 0x85ebca77) ^ current);
      seen.add(shingle);
      previous2 = previous1;
      previous1 = current;
    }
  }
  return Uint32Array.from(seen);
}

/** Per-hash seeds, fixed so that signatures are comparable across runs and processes. */
function hashSeeds(count: number): Uint32Array {
  const seeds = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) seeds[index] = mix32(0x5bd1e995 + index * 0x9e3779b9);
  return seeds;
}

/**
 * The MinHash signature of a shingle set (32-bit minima). Shingle hashes are already well mixed,
 * so each of the k hash functions is a cheap keyed xor-multiply-xorshift of them.
 */
export function minHash(shingles: Uint32Array, seeds: Uint32Array): Uint32Array {
  const size = seeds.length;
  const signature = new Uint32Array(size).fill(0xffffffff);
  for (let s = 0; s < shingles.length; s += 1) {
    const shingle = shingles[s] as number;
    for (let index = 0; index < size; index += 1) {
      let value = Math.imul(shingle ^ (seeds[index] as number), 0x9e3779b1);
      value = (value ^ (value >>> 15)) >>> 0;
      if (value < (signature[index] as number)) signature[index] = value;
    }
  }
  return signature;
}

/** The share of equal positions: an unbiased estimate of the Jaccard similarity. */
export function estimateJaccard(left: ArrayLike<number>, right: ArrayLike<number>): number {
  const size = Math.min(left.length, right.length);
  if (size === 0) return 0;
  let equal = 0;
  for (let index = 0; index < size; index += 1) if (left[index] === right[index]) equal += 1;
  return equal / size;
}

// --- The index ------------------------------------------------------------------------------

/** Out-of-order adds are tolerated this far when a scan stops at the window's start… */
const SCAN_SLACK_MS = 86_400_000;
/** …and this many entries past the window's end. */
const LATE_ARRIVAL_SLACK = 16;
/** A family is looked for among this many of the newest look-alikes (their leaders). */
const FAMILY_CANDIDATES = 64;

export class ScriptIndex {
  readonly options: ScriptIndexOptions;
  private readonly seeds: Uint32Array;
  private readonly rows: number;
  /** One map per band: band hash → entry sequence numbers, ascending (a lone one as a number). */
  private readonly buckets: Map<number, Bucket>[];
  /** Entries by sequence number: `entries[seq - firstSeq]`; those before `head` are forgotten. */
  private entries: (Entry | undefined)[] = [];
  /** Each entry's time, by the same offset, in one flat array: scans read it without touching the entries. */
  private times = new Float64Array(1024);
  private firstSeq = 0;
  private head = 0;
  private readonly byContact = new Map<string, number>();
  /** Contacts per family of two or more, while its leader is held: how common a script is. */
  private readonly familySizes = new Map<string, number>();
  private newestAt = Number.NEGATIVE_INFINITY;
  /** Scratch for de-duplicating candidates without allocating a set per query. */
  private stamp = new Uint32Array(1024);
  private stampValue = 0;
  /** Candidates read in the current scan. */
  private visited = 0;

  constructor(options: Partial<ScriptIndexOptions> = {}) {
    this.options = { ...DEFAULT_SCRIPT_INDEX_OPTIONS, ...options };
    const { numHashes, bands } = this.options;
    if (bands < 1 || numHashes < bands || numHashes % bands !== 0)
      throw new RangeError(`numHashes (${numHashes}) must be a multiple of bands (${bands})`);
    this.rows = numHashes / bands;
    this.seeds = hashSeeds(numHashes);
    this.buckets = Array.from({ length: bands }, () => new Map<number, Bucket>());
  }

  /** Contacts currently held. */
  get size(): number {
    return this.byContact.size;
  }

  /** The signature of a text, or undefined when it is too short to compare. */
  signature(text: string): { signature: Uint16Array | undefined; shingles: number } {
    const shingles = shingleHashes(text);
    if (shingles.length < this.options.minShingles)
      return { signature: undefined, shingles: shingles.length };
    const full = minHash(shingles, this.seeds);
    const signature = new Uint16Array(full.length);
    for (let index = 0; index < full.length; index += 1) signature[index] = (full[index] as number) & 0xffff;
    return { signature, shingles: shingles.length };
  }

  /**
   * Indexes a contact's text and gives its script family: the contactId of the most similar
   * earlier family leader, or its own when it starts a new family.
   */
  add(contact: ScriptContact): ScriptAddResult {
    const existing = this.byContact.get(contact.contactId);
    if (existing !== undefined) {
      return { indexed: false, reason: 'already_indexed', family: this.entry(existing)?.family, shingles: 0 };
    }
    const { signature, shingles } = this.signature(contact.text);
    if (!signature) return { indexed: false, reason: 'too_short', family: undefined, shingles };

    const keys = this.bandKeys(signature);
    // Leader clustering: compare with the leader of each look-alike's family (not with the
    // look-alike itself), so that families cannot drift by chaining similar texts.
    let family: string | undefined;
    let best = this.options.threshold;
    const oldest = contact.at - this.options.familyWindowMs;
    const leadersSeen = new Set<string>();
    this.forEachCandidate(
      keys,
      oldest,
      contact.at + 1,
      (candidate) => {
        if (leadersSeen.has(candidate.family)) return undefined;
        leadersSeen.add(candidate.family);
        const leader = candidate.leader ? candidate : this.indexed(candidate.family);
        if (!leader || leader.at < oldest) return undefined;
        const similarity = estimateJaccard(signature, leader.signature);
        if (similarity > best || (similarity === best && family === undefined)) {
          best = similarity;
          family = leader.family;
        }
        return undefined;
      },
      FAMILY_CANDIDATES,
    );

    const seq = this.firstSeq + this.entries.length;
    const entry: Entry = {
      seq,
      contactId: contact.contactId,
      accountId: contact.accountId,
      at: contact.at,
      signature,
      family: family ?? contact.contactId,
      leader: family === undefined,
    };
    if (this.entries.length === this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      grown.set(this.times);
      this.times = grown;
    }
    this.times[this.entries.length] = entry.at;
    this.entries.push(entry);
    this.byContact.set(contact.contactId, seq);
    if (!entry.leader) this.familySizes.set(entry.family, (this.familySizes.get(entry.family) ?? 1) + 1);
    keys.forEach((key, band) => {
      const map = this.buckets[band] as Map<number, Bucket>;
      const bucket = map.get(key);
      if (bucket === undefined) map.set(key, seq);
      else if (typeof bucket === 'number') map.set(key, [bucket, seq]);
      else bucket.push(seq);
    });
    if (contact.at > this.newestAt) {
      this.newestAt = contact.at;
      this.evictBefore(this.newestAt - this.options.retentionMs);
    }
    return { indexed: true, family: entry.family, shingles };
  }

  /** The script family of an indexed contact. */
  familyOf(contactId: string): string | undefined {
    const seq = this.byContact.get(contactId);
    return seq === undefined ? undefined : this.entry(seq)?.family;
  }

  /** Contacts in a family so far (1 for a lone leader; 0 once its leader is forgotten). */
  familySize(family: string): number {
    return this.familySizes.get(family) ?? (this.byContact.has(family) ? 1 : 0);
  }

  /** Other accounts that wrote a near-duplicate of this (indexed) contact within [from, to). */
  nearDuplicates(contactId: string, from: number, to: number): NearDuplicates {
    const seq = this.byContact.get(contactId);
    const entry = seq === undefined ? undefined : this.entry(seq);
    if (!entry) return NO_MATCH;
    return this.query(entry.signature, entry.accountId, from, to, entry.seq);
  }

  /** The same for a text that is not indexed (an assessment asked through the API). */
  nearDuplicatesOfText(text: string, accountId: string, from: number, to: number): NearDuplicates {
    const { signature } = this.signature(text);
    if (!signature) return NO_MATCH;
    return this.query(signature, accountId, from, to, -1);
  }

  private query(
    signature: Uint16Array,
    accountId: string,
    from: number,
    to: number,
    self: number,
  ): NearDuplicates {
    const similarityByAccount = new Map<string, number>();
    let contacts = 0;
    const limit = this.options.boilerplateAccounts;
    const truncated = this.forEachCandidate(this.bandKeys(signature), from, to, (candidate) => {
      if (candidate.seq === self || candidate.accountId === accountId) return undefined;
      const similarity = estimateJaccard(signature, candidate.signature);
      if (similarity < this.options.threshold) return undefined;
      contacts += 1;
      const previous = similarityByAccount.get(candidate.accountId) ?? 0;
      if (similarity > previous) similarityByAccount.set(candidate.accountId, similarity);
      return similarityByAccount.size > limit;
    });
    if (truncated || similarityByAccount.size > limit)
      return { accounts: 0, contacts: 0, boilerplate: true, comparable: true, accountIds: [] };
    const accountIds = [...similarityByAccount]
      .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
      .slice(0, 20)
      .map(([id]) => id);
    return { accounts: similarityByAccount.size, contacts, boilerplate: false, comparable: true, accountIds };
  }

  /**
   * Calls `visit` once for each distinct entry in [from, before) sharing a band with `keys`,
   * newest first, until it returns true. Returns true, having stopped, when there are more than
   * `maxCandidates` of them, or more than `maxBucketScan` in one band (boilerplate).
   */
  private forEachCandidate(
    keys: Uint32Array,
    from: number,
    before: number,
    visit: (entry: Entry) => boolean | undefined,
    maxCandidates = this.options.maxCandidates,
  ): boolean {
    this.stampValue += 1;
    if (this.stampValue >= 0xffffffff || this.stamp.length < this.entries.length) {
      this.stamp = new Uint32Array(Math.max(1024, this.entries.length * 2));
      this.stampValue = 1;
    }
    const live = this.firstSeq + this.head;
    this.visited = 0;
    for (let band = 0; band < keys.length; band += 1) {
      const bucket = (this.buckets[band] as Map<number, Bucket>).get(keys[band] as number);
      if (bucket === undefined) continue;
      if (typeof bucket === 'number') {
        if (bucket >= live && this.visitOnce(bucket, from, before, visit)) return false;
        if (this.visited > maxCandidates) return true;
        continue;
      }
      let scanned = 0;
      const visitedBefore = this.visited;
      for (let index = this.lastBefore(bucket, before, live); index >= 0; index -= 1) {
        const seq = bucket[index] as number;
        if (seq < live) break;
        const at = this.times[seq - this.firstSeq] as number;
        if (at >= before) continue;
        if (at < from - SCAN_SLACK_MS) break;
        // A band shared by this many texts in the window: the text is everywhere. Stop here.
        if (scanned >= this.options.maxBucketScan) return true;
        scanned += 1;
        if (this.visitOnce(seq, from, before, visit)) return false;
        if (this.visited > maxCandidates) return true;
        // The same look-alikes as in earlier bands (one cluster): the rest of this band adds nothing.
        if (scanned === 8 && this.visited === visitedBefore) break;
      }
    }
    return false;
  }

  /**
   * Where to start scanning a bucket backwards: past the entries at or after `before`, found by
   * binary search (buckets are in insertion order, which is time order give or take a few
   * late arrivals, hence the slack), so that asking about an old contact costs no more than a new one.
   */
  private lastBefore(bucket: number[], before: number, live: number): number {
    let low = 0;
    let high = bucket.length - 1;
    if (high < 0 || (this.times[(bucket[high] as number) - this.firstSeq] as number) < before) return high;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const seq = bucket[middle] as number;
      const at = seq < live ? Number.NEGATIVE_INFINITY : (this.times[seq - this.firstSeq] as number);
      if (at < before) low = middle + 1;
      else high = middle;
    }
    return Math.min(bucket.length - 1, low + LATE_ARRIVAL_SLACK);
  }

  /** Visits an entry once per scan; returns whether the visitor asked to stop. */
  private visitOnce(
    seq: number,
    from: number,
    before: number,
    visit: (entry: Entry) => boolean | undefined,
  ): boolean {
    const offset = seq - this.firstSeq;
    if (this.stamp[offset] === this.stampValue) return false;
    this.stamp[offset] = this.stampValue;
    const at = this.times[offset] as number;
    if (at < from || at >= before) return false;
    const entry = this.entries[offset];
    if (entry === undefined) return false;
    this.visited += 1;
    return visit(entry) === true;
  }

  private indexed(contactId: string): Entry | undefined {
    const seq = this.byContact.get(contactId);
    return seq === undefined ? undefined : this.entry(seq);
  }

  private entry(seq: number): Entry | undefined {
    return seq < this.firstSeq + this.head ? undefined : this.entries[seq - this.firstSeq];
  }

  private bandKeys(signature: Uint16Array): Uint32Array {
    const keys = new Uint32Array(this.options.bands);
    for (let band = 0; band < keys.length; band += 1) {
      let h = mix32(band + 0x27d4eb2f);
      const start = band * this.rows;
      for (let row = 0; row < this.rows; row += 1)
        h = mix32(Math.imul(h, 0x01000193) ^ (signature[start + row] as number));
      keys[band] = h;
    }
    return keys;
  }

  /** Forgets contacts added before any still held that happened before `cutoff`. */
  private evictBefore(cutoff: number): void {
    const start = this.head;
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head] as Entry;
      if (entry.at >= cutoff) break;
      this.byContact.delete(entry.contactId);
      if (entry.leader) this.familySizes.delete(entry.contactId);
      this.entries[this.head] = undefined;
      this.head += 1;
      const live = this.firstSeq + this.head;
      this.bandKeys(entry.signature).forEach((key, band) => {
        const map = this.buckets[band] as Map<number, Bucket>;
        const bucket = map.get(key);
        if (bucket === undefined) return;
        if (typeof bucket === 'number') {
          if (bucket < live) map.delete(key);
          return;
        }
        // Forgotten entries sit at the front (ascending order) and scans stop at them; they
        // are cut off in batches so that a big bucket is not shifted on every eviction.
        let stale = 0;
        while (stale < bucket.length && (bucket[stale] as number) < live) stale += 1;
        if (stale === bucket.length) map.delete(key);
        else if (stale >= 64 || stale * 4 >= bucket.length) {
          bucket.splice(0, stale);
          if (bucket.length === 1) map.set(key, bucket[0] as number);
        }
      });
    }
    if (this.head === start) return;
    // Compact now and then rather than shifting the array on every eviction.
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      const times = new Float64Array(Math.max(1024, this.entries.length * 2));
      times.set(this.times.subarray(this.head, this.head + this.entries.length));
      this.times = times;
      this.firstSeq += this.head;
      this.head = 0;
      this.stamp = new Uint32Array(Math.max(1024, this.entries.length * 2));
      this.stampValue = 0;
    }
  }
}
