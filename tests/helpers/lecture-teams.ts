import type { TestApp } from './app';
import { adminToken, DAXING, DAXING_VILLAGE, importSongtao, person, SONGTAO } from './factories';

export interface Person {
  id: string;
  token: string;
}

/**
 * Songtao with the people of the four-order flow in Daxing: the county,
 * township and village operators (who place, dispatch and rate), lecturers
 * of the township, each in a team of their own, and a topic on the county's
 * menu. A lecturer signs in as `<name>` / `<name>-password`.
 */
export class LectureTeams {
  readonly users: Record<string, Person> = {};
  readonly teams: Record<string, string> = {};
  topicId = '';

  private constructor(private readonly t: TestApp) {}

  static async create(t: TestApp, lecturers: Record<string, string>): Promise<LectureTeams> {
    const cast = new LectureTeams(t);
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    for (const [name, scope] of [
      ['county', SONGTAO],
      ['township', DAXING],
      ['village', DAXING_VILLAGE],
    ])
      cast.users[name] = await person(t, admin, name, 'operator', scope);
    cast.topicId = (
      await cast.api('POST', '/api/v1/topics', 'county', {
        countyCode: SONGTAO,
        title: '移风易俗',
        category: 'customs',
      })
    ).body.id;
    for (const [name, teamName] of Object.entries(lecturers)) {
      cast.users[name] = await person(t, admin, name, 'lecturer', DAXING);
      const team = await cast.api('POST', '/api/v1/teams', 'township', {
        name: teamName,
        regionCode: DAXING,
        members: [{ userId: cast.users[name].id }],
      });
      if (team.status !== 201) throw new Error(`team ${teamName}: ${team.status} ${JSON.stringify(team.body)}`);
      cast.teams[teamName] = team.body.id;
    }
    return cast;
  }

  api(method: string, path: string, who: string, body?: unknown) {
    return this.t.api.request<any>(method, path, body, { token: this.users[who].token });
  }

  /** An order the village placed, dispatched by the township to the team unless none is named; its id. */
  async order(teamName?: string): Promise<string> {
    const placed = await this.api('POST', '/api/v1/orders', 'village', {
      topicId: this.topicId,
      regionCode: DAXING_VILLAGE,
    });
    if (placed.status !== 201) throw new Error(`order: ${placed.status} ${JSON.stringify(placed.body)}`);
    if (teamName) {
      const teamId = this.teams[teamName];
      const dispatched = await this.api('POST', `/api/v1/orders/${placed.body.id}/dispatch`, 'township', { teamId });
      if (dispatched.status !== 200)
        throw new Error(`dispatch: ${dispatched.status} ${JSON.stringify(dispatched.body)}`);
    }
    return placed.body.id;
  }
}
