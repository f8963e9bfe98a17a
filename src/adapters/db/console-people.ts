// The console's people: users, their sessions, and when each API key was last used.
import type { Selectable } from 'kysely';
import type { ApiKeyUsage, PeopleStore, SessionRecord, UserRecord } from '../../app/console-ports.ts';
import type { ConsoleConnection } from './console-connection.ts';
import type { UserTable } from './console-schema.ts';

function fromUserRow(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as UserRecord['role'],
    agentId: row.agent_id,
    passwordHash: row.password_hash,
    disabled: Number(row.disabled) !== 0,
    createdAt: Number(row.created_at),
    createdBy: row.created_by ?? null,
    confirmedBy: row.confirmed_by ?? null,
  };
}

export function peopleStore({ db }: ConsoleConnection): PeopleStore {
  const getUser = async (id: string): Promise<UserRecord | undefined> => {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromUserRow(row);
  };

  return {
    async createUser(user: UserRecord): Promise<void> {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          agent_id: user.agentId,
          password_hash: user.passwordHash,
          disabled: user.disabled ? 1 : 0,
          created_at: user.createdAt,
          created_by: user.createdBy,
          confirmed_by: user.confirmedBy,
        })
        .execute();
    },

    getUser,

    async findUserByEmail(email: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return row === undefined ? undefined : fromUserRow(row);
    },

    async listUsers(): Promise<UserRecord[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(fromUserRow);
    },

    async updateUser(id: string, changes: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<boolean> {
      const set: Partial<UserTable> = {};
      if (changes.email !== undefined) set.email = changes.email;
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.role !== undefined) set.role = changes.role;
      if (changes.agentId !== undefined) set.agent_id = changes.agentId;
      if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
      if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
      if (changes.confirmedBy !== undefined) set.confirmed_by = changes.confirmedBy;
      if (Object.keys(set).length === 0) return (await getUser(id)) !== undefined;
      const result = await db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async countUsers(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async createSession(session: SessionRecord): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          user_id: session.userId,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },

    async findSession(idHash: string): Promise<SessionRecord | undefined> {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        idHash: row.id_hash,
        userId: row.user_id,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      };
    },

    async deleteSession(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    async deleteSessionsOf(userId: string): Promise<void> {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },

    // ---- API keys: when each was last used ----

    async listApiKeyUsage(): Promise<ApiKeyUsage[]> {
      const rows = await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'role', 'created_at', 'revoked_at', 'last_used_at', 'created_by'])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        role: row.role,
        createdAt: Number(row.created_at),
        revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
        lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
        createdBy: row.created_by ?? null,
      }));
    },

    async apiKeyCreator(id: string): Promise<{ createdBy: string | null } | undefined> {
      const row = await db
        .selectFrom('api_keys')
        .select('created_by')
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : { createdBy: row.created_by ?? null };
    },

    async touchApiKey(id: string, at: number): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
