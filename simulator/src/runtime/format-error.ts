/** Message and stack of anything thrown (errors from the sandbox realm fail `instanceof Error`). */
export function formatError(error: unknown): { message: string; stack: string } {
  if (error && typeof error === 'object') {
    const { message, stack } = error as { message?: unknown; stack?: unknown };
    if (typeof message === 'string') {
      return { message, stack: typeof stack === 'string' && stack ? stack : message };
    }
    if (typeof (error as { errMsg?: unknown }).errMsg === 'string') {
      const errMsg = (error as { errMsg: string }).errMsg;
      return { message: errMsg, stack: errMsg };
    }
  }
  let text: string;
  try {
    text = typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    text = String(error);
  }
  return { message: text, stack: text };
}
