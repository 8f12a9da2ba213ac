/** Turns a `wx.login` code into a stable identity. `sessionKey` stays on the server. */
export interface LoginIdentity {
  openId: string;
  /** Suggested user id and nickname for a user seen for the first time. */
  userId: string;
  nickname: string;
  sessionKey: string | null;
}

export interface LoginProvider {
  readonly name: string;
  exchange(code: string): Promise<LoginIdentity>;
}
