import { PagedList } from '../../../miniprogram/services/paged-list';
import type { PageAnswer } from '../../../miniprogram/services/paged-list';

interface Item {
  id: string;
}

const PAGE = 3;
function page(current: number, ids: string[], total = 9): PageAnswer<Item> {
  return { list: ids.map((id) => ({ id })), current, pageSize: PAGE, total };
}
function idsOf(list: PagedList<Item>): string[] {
  return list.view.map((item) => item.id);
}

describe('PagedList', () => {
  it('replaces the whole list with page 1 and appends later pages with path keys only', () => {
    const list = new PagedList<Item>();
    const first = list.restart();
    const patch1 = list.accept(first, page(1, ['a', 'b', 'c']));
    expect(patch1).toEqual({
      list: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      hasMore: true,
      total: 9,
    });

    const second = list.next();
    expect(second).toEqual({ page: 2, generation: first.generation });
    const patch2 = list.accept(second!, page(2, ['d', 'e', 'f']));
    expect(patch2).toEqual({
      'list[3]': { id: 'd' },
      'list[4]': { id: 'e' },
      'list[5]': { id: 'f' },
      hasMore: true,
      total: 9,
    });
    expect(Object.keys(patch2!)).not.toContain('list');
  });

  it('shows pages in page order when they answer out of order (no gaps)', () => {
    const list = new PagedList<Item>();
    const first = list.restart();
    list.accept(first, page(1, ['a', 'b', 'c']));
    const two = list.next()!;
    const three = list.next()!;
    expect(three.page).toBe(3);

    expect(list.accept(three, page(3, ['g', 'h', 'i']))).toBeUndefined();
    expect(idsOf(list)).toEqual(['a', 'b', 'c']);

    const patch = list.accept(two, page(2, ['d', 'e', 'f']));
    expect(idsOf(list)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(patch).toMatchObject({ 'list[3]': { id: 'd' }, 'list[8]': { id: 'i' }, hasMore: false });
  });

  it('drops items already shown when the server shifted between pages (no duplicates)', () => {
    const list = new PagedList<Item>();
    const first = list.restart();
    list.accept(first, page(1, ['a', 'b', 'c'], 10));
    // an item was inserted on the server: page 2 now starts with c again
    const patch = list.accept(list.next()!, page(2, ['c', 'd', 'e'], 10));
    expect(idsOf(list)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(patch).toEqual({
      'list[3]': { id: 'd' },
      'list[4]': { id: 'e' },
      hasMore: true,
      total: 10,
    });
  });

  it('ignores answers of an older generation (a new search started)', () => {
    const list = new PagedList<Item>();
    const old = list.restart();
    list.accept(old, page(1, ['a', 'b', 'c']));
    const oldNext = list.next()!;
    const fresh = list.restart();
    expect(list.accept(oldNext, page(2, ['x', 'y', 'z']))).toBeUndefined();
    list.accept(fresh, page(1, ['q'], 1));
    expect(idsOf(list)).toEqual(['q']);
    expect(list.hasMore).toBe(false);
    expect(list.next()).toBeUndefined();
  });

  it('does not hand out a page twice while it is in flight, and again after it failed', () => {
    const list = new PagedList<Item>();
    list.accept(list.restart(), page(1, ['a', 'b', 'c']));
    const two = list.next()!;
    expect(list.loading).toBe(true);
    expect(list.next()!.page).toBe(3);
    list.fail(two);
    expect(list.next()!.page).toBe(2);
  });

  it('buffers a later page until a failed earlier page is loaded again', () => {
    const list = new PagedList<Item>();
    list.accept(list.restart(), page(1, ['a', 'b', 'c']));
    const two = list.next()!;
    const three = list.next()!;
    list.fail(two);
    expect(list.accept(three, page(3, ['g', 'h', 'i']))).toBeUndefined();
    const again = list.next()!;
    expect(again.page).toBe(2);
    list.accept(again, page(2, ['d', 'e', 'f']));
    expect(idsOf(list)).toHaveLength(9);
  });

  it('ends with a short page and stops handing out tickets beyond total', () => {
    const list = new PagedList<Item>();
    list.accept(list.restart(), page(1, ['a', 'b', 'c'], 5));
    const patch = list.accept(list.next()!, page(2, ['d', 'e'], 5));
    expect(patch).toMatchObject({ hasMore: false });
    expect(list.next()).toBeUndefined();
  });

  it('keeps a page 2 answered before page 1 and sends one full list', () => {
    const list = new PagedList<Item>();
    const one = list.restart();
    const two = list.next()!;
    expect(list.accept(two, page(2, ['d', 'e', 'f']))).toBeUndefined();
    const patch = list.accept(one, page(1, ['a', 'b', 'c']))!;
    expect(Object.keys(patch).sort()).toEqual(['hasMore', 'list', 'total']);
    expect((patch.list as Item[]).map((item) => item.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('ignores a late answer for a page already shown', () => {
    const list = new PagedList<Item>();
    list.accept(list.restart(), page(1, ['a', 'b', 'c']));
    const two = list.next()!;
    list.accept(two, page(2, ['d', 'e', 'f']));
    expect(list.accept(two, page(2, ['d', 'e', 'f']))).toBeUndefined();
    expect(idsOf(list)).toHaveLength(6);
  });

  it('updates one item by id with a single path key', () => {
    const list = new PagedList<Item & { fav?: boolean }>();
    list.accept(list.restart(), {
      list: [{ id: 'a' }, { id: 'b' }],
      current: 1,
      pageSize: 2,
      total: 4,
    });
    expect(list.update('b', (item) => ({ ...item, fav: true }))).toEqual({
      'list[1]': { id: 'b', fav: true },
    });
    expect(list.update('zz', (item) => item)).toBeUndefined();
    expect(list.indexOf('a')).toBe(0);
  });

  it('keeps the payload of appending page 10 close to page 1 (product-sized items)', () => {
    const list = new PagedList<Item & { title: string; imageUrl: string; priceText: string }>();
    const make = (n: number, current: number) => ({
      list: Array.from({ length: 20 }, (_, i) => ({
        id: `p${String(n + i).padStart(4, '0')}`,
        title: `Product number ${n + i} with a name`,
        imageUrl: `http://127.0.0.1:3000/images/products/p${String(n + i).padStart(4, '0')}.png`,
        priceText: '¥1299.00',
      })),
      current,
      pageSize: 20,
      total: 1000,
    });
    const sizes: number[] = [];
    sizes.push(JSON.stringify(list.accept(list.restart(), make(0, 1))).length);
    for (let p = 2; p <= 10; p++) {
      sizes.push(JSON.stringify(list.accept(list.next()!, make(p * 20, p))).length);
    }
    expect(sizes[9] / sizes[0]).toBeLessThanOrEqual(1.2);
  });
});

describe('PagedList refresh of page 1', () => {
  it('patches only changed items of page 1 and keeps the pages below when ids match', () => {
    const list = new PagedList<Item & { v?: number }>();
    const one = list.restart();
    list.accept(one, page(1, ['a', 'b', 'c']));
    list.accept(list.next()!, page(2, ['d', 'e', 'f']));
    const fresh = {
      ...page(1, ['a', 'b', 'c']),
      list: [{ id: 'a' }, { id: 'b', v: 2 }, { id: 'c' }],
    };
    expect(list.accept(one, fresh)).toEqual({
      'list[1]': { id: 'b', v: 2 },
      hasMore: true,
      total: 9,
    });
    expect(idsOf(list)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('starts over from a fresh page 1 whose items differ', () => {
    const list = new PagedList<Item>();
    const one = list.restart();
    list.accept(one, page(1, ['a', 'b', 'c']));
    list.accept(list.next()!, page(2, ['d', 'e', 'f']));
    const patch = list.accept(one, page(1, ['z', 'a', 'b']))!;
    expect(Object.keys(patch)).toContain('list');
    expect(idsOf(list)).toEqual(['z', 'a', 'b']);
    expect(list.next()!.page).toBe(2);
  });

  describe('a revalidated page 1 that changed the list (stale-while-revalidate)', () => {
    it('is stalled on the page the person asked for after page 2 was shown', () => {
      const list = new PagedList<Item>();
      const one = list.restart();
      list.accept(one, page(1, ['a', 'b', 'c'], 10));
      list.accept(list.next()!, page(2, ['d', 'e', 'f'], 10));
      expect(list.stalled).toBe(false);
      // the fresh page 1 (same ticket): an item was inserted at the top
      list.accept(one, page(1, ['n', 'a', 'b'], 10));
      expect(idsOf(list)).toEqual(['n', 'a', 'b']);
      expect(list.loading).toBe(false);
      expect(list.stalled).toBe(true);
      const again = list.next()!;
      expect(again.page).toBe(2);
      expect(list.stalled).toBe(false);
      list.accept(again, page(2, ['c', 'd', 'e'], 10));
      expect(idsOf(list)).toEqual(['n', 'a', 'b', 'c', 'd', 'e']);
    });

    it('is stalled when page 3 is in flight and page 2 was dropped; page 3 then waits for 2', () => {
      const list = new PagedList<Item>();
      const one = list.restart();
      list.accept(one, page(1, ['a', 'b', 'c']));
      list.accept(list.next()!, page(2, ['d', 'e', 'f']));
      const three = list.next()!;
      list.accept(one, page(1, ['x', 'y', 'z']));
      expect(list.loading).toBe(true); // page 3 is on its way, but page 2 never will be
      expect(list.stalled).toBe(true);
      const two = list.next()!;
      expect(two.page).toBe(2);
      expect(list.accept(three, page(3, ['g', 'h', 'i']))).toBeUndefined();
      list.accept(two, page(2, ['d', 'e', 'f']));
      expect(idsOf(list)).toEqual(['x', 'y', 'z', 'd', 'e', 'f', 'g', 'h', 'i']);
      expect(list.stalled).toBe(false);
    });

    it('is not stalled when page 2 is still in flight (its answer follows the fresh page 1)', () => {
      const list = new PagedList<Item>();
      const one = list.restart();
      list.accept(one, page(1, ['a', 'b', 'c']));
      const two = list.next()!;
      list.accept(one, page(1, ['x', 'a', 'b']));
      expect(list.stalled).toBe(false);
      expect(list.loading).toBe(true);
      list.accept(two, page(2, ['c', 'd', 'e']));
      expect(idsOf(list)).toEqual(['x', 'a', 'b', 'c', 'd', 'e']);
    });

    it('is never stalled before the person asked for more, nor after a failed page', () => {
      const list = new PagedList<Item>();
      const one = list.restart();
      list.accept(one, page(1, ['a', 'b', 'c']));
      list.accept(one, page(1, ['x', 'y', 'z']));
      expect(list.stalled).toBe(false);
      list.fail(list.next()!);
      list.accept(one, page(1, ['q', 'y', 'z']));
      expect(list.stalled).toBe(false); // the footer offers the retry instead
    });
  });

  it('restart({ clear }) empties the list at once (another category)', () => {
    const list = new PagedList<Item>();
    list.accept(list.restart(), page(1, ['a', 'b', 'c']));
    list.restart({ clear: true });
    expect(list.length).toBe(0);
    expect(list.indexOf('a')).toBe(-1);
    list.accept(list.restart(), page(1, ['a'], 1));
    expect(idsOf(list)).toEqual(['a']);
  });
});
