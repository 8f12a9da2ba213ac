/** Screen chrome the runtime owns (navigation bar, tab bar, pull-down refresh), readable by tests. */
export interface NavigationBarState {
  title: string;
  frontColor: string;
  backgroundColor: string;
  loading: boolean;
}

export interface TabBarItemState {
  pagePath: string;
  text: string;
  badge: string | null;
  redDot: boolean;
  iconPath?: string;
  selectedIconPath?: string;
}

export interface TabBarState {
  visible: boolean;
  items: TabBarItemState[];
  style: Record<string, unknown>;
}

export interface ChromeState {
  navigationBar: NavigationBarState;
  tabBar: TabBarState | null;
  pullDownRefreshing: boolean;
  backgroundColor: Record<string, unknown>;
}
