import { Injectable, NotFoundException } from '@nestjs/common';
import { AccessRegistry } from '../auth/access.registry';
import { rankTeams } from './domain/team-suggestions';
import { OrdersRepository } from './orders.repository';
import { nameOf, SessionsRepository } from './sessions.repository';
import { TeamsRepository } from './teams.repository';

/**
 * The teams an operator may dispatch an order to, ranked by the seeds' rule
 * (nearby, same field, the right person) with the figures behind each rank.
 * A suggestion only: the dispatch itself names the team the operator chose.
 */
@Injectable()
export class DispatchSuggestions {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly teams: TeamsRepository,
    private readonly sessions: SessionsRepository,
    private readonly access: AccessRegistry,
  ) {}

  async forOrder(id: string) {
    const order = await this.orders.find(id);
    if (!order) throw new NotFoundException(`order ${id} not found`);
    const village = (await this.access.region(order.regionCode))!;
    const above = [village.countyCode, village.townshipCode].filter(
      (code): code is string => code !== null && code !== village.code,
    );
    const teams = await this.teams.list(village.code, above);
    const ids = teams.map((team) => team.id);
    const [field, load] = await Promise.all([
      this.sessions.fieldOf(ids, order.topicId, order.topic.category),
      this.orders.openByTeam(ids),
    ]);
    const members = new Map(
      teams.map((team) => [
        team.id,
        team.members.map((member) => ({ name: nameOf(member.user), title: member.title })),
      ]),
    );
    const ranked = rankTeams(
      village,
      teams.map((team) => ({
        teamId: team.id,
        name: team.name,
        regionCode: team.regionCode,
        sameTopicSessions: field.get(team.id)?.sameTopic ?? 0,
        sameCategorySessions: field.get(team.id)?.sameCategory ?? 0,
        openOrders: load.get(team.id) ?? 0,
      })),
    );
    return {
      orderId: order.id,
      topicTitle: order.topic.title,
      category: order.topic.category,
      items: ranked.map((suggestion) => ({ ...suggestion, members: members.get(suggestion.teamId) ?? [] })),
    };
  }
}
