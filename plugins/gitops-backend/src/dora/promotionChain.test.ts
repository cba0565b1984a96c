import { originOf, promotedFrom } from './promotionChain';

const D = 'd'.repeat(40);
const S = '5'.repeat(40);

/*
 * By hand: dev's commit D at 09:00 changed the image; staging's promotion commit S at 11:00
 * copied it from dev (Promoted-from: acme-web-dev@D); production's promotion commit P at
 * 15:00 copied it from staging (Promoted-from: acme-web-staging@S). Production Healthy at
 * 15:30: the lead time starts at 09:00 (6 h 30 min), not at P's 15:00 (30 min).
 */
const commits: Record<string, { date: string; message: string }> = {
  [D]: { date: '2026-12-01T09:00:00Z', message: 'Ship acme-web 1.5.0 to dev' },
  [S]: {
    date: '2026-12-01T11:00:00Z',
    message: `Promote acme-web:1.5.0 from dev to staging (acme-web-staging)\n\n- registry.acme.example/acme-web: 1.3.0 -> 1.5.0\n\nPromoted-from: acme-web-dev@${D}\nRequested-by: user:default/alice`,
  },
};
const prod = {
  date: '2026-12-01T15:00:00Z',
  message: `Promote acme-web:1.5.0 from staging to production (acme-web-prod)\n\nPromoted-from: acme-web-staging@${S}\nRequested-by: user:default/alice`,
};

describe('the promotion chain', () => {
  it('reads the Promoted-from trailer of a promotion commit only', () => {
    expect(promotedFrom(prod.message)).toBe(S);
    expect(promotedFrom(commits[D].message)).toBeUndefined();
    expect(promotedFrom('Promoted-from: somewhere')).toBeUndefined();
    expect(promotedFrom(undefined)).toBeUndefined();
  });

  it('starts the lead time at the commit the earliest environment ran', async () => {
    const asked: string[] = [];
    const origin = await originOf(prod, async revision => {
      asked.push(revision);
      return commits[revision] ?? {};
    });
    expect(origin).toMatchObject({ date: '2026-12-01T09:00:00Z', hops: 2 });
    expect(asked).toEqual([S, D]);
    const healthy = Date.parse('2026-12-01T15:30:00Z');
    expect(healthy - Date.parse(origin.date!)).toBe((6 * 60 + 30) * 60_000);
  });

  it('keeps the commit itself when it was not a promotion, and stops where a commit is unknown or loops', async () => {
    const direct = commits[D];
    expect(await originOf(direct, async () => ({}))).toMatchObject({
      date: direct.date,
      hops: 0,
    });
    // Staging's commit cannot be read: production's own commit time, as before.
    expect(await originOf(prod, async () => ({}))).toMatchObject({
      date: prod.date,
      hops: 0,
    });
    const loop = { date: prod.date, message: `Promoted-from: a@${S}` };
    expect(
      await originOf(loop, async () => ({
        date: '2026-12-01T10:00:00Z',
        message: `Promoted-from: b@${S}`,
      })),
    ).toMatchObject({ date: '2026-12-01T10:00:00Z', hops: 1 });
  });
});
