import { homePage, PAGES } from './routes';

describe('where a user lands after signing in', () => {
  const open = (permissions: string[]) => PAGES.filter((page) => permissions.includes(page.permission));

  it('takes a lecturer to their own page, wherever it stands in the navigation', () => {
    expect(homePage(open(['schedule.read', 'regions.read', 'sessions.register']), 'lecturer')).toBe('/lecturer');
  });

  it('keeps an operator on the first page they may open, though they may register sessions too', () => {
    expect(homePage(open(['schedule.read', 'regions.read', 'sessions.register']), 'operator')).toBe('/today');
    expect(homePage(open(['regions.read']), 'approver')).toBe('/regions');
  });
});
