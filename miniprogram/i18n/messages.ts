/**
 * The app's own message tables (pages and components). The network layer adds its error
 * messages in its own file; both go through the one mechanism in utils/i18n.ts.
 * Keys are `<scope>.<name>`; `textsFor(scope)` hands a page `{ name: text }` for its WXML.
 */
import { addMessages, t } from '../utils/i18n';
import type { MessageTable } from '../utils/i18n';

const zhCN: MessageTable = {
  'tab.products': '商品',
  'tab.chat': '聊天',
  'tab.album': '相册',
  'tab.me': '我的',

  'common.retry': '重试',
  'common.loading': '加载中…',
  'common.cancel': '取消',
  'common.confirm': '确定',
  'common.offline': '当前离线，显示的是缓存内容',

  'failure.network': '网络连接失败，请检查网络后重试',
  'failure.timeout': '服务器响应太慢，请稍后重试',
  'failure.offline': '当前没有网络',
  'failure.http': '请求没有成功',
  'failure.server': '服务器出了点问题，请稍后重试',
  'failure.business': '操作没有成功',
  'failure.auth': '登录已失效，请重新登录',
  'failure.cancelled': '操作已取消',
  'failure.parse': '服务器返回的数据有误',
  'failure.unknown': '出了点问题，请重试',

  'banner.offline': '网络已断开',
  'banner.offlineQueued': '网络已断开，{count} 个操作待发送',
  'banner.weak': '网络较慢',
  'banner.flushed': '已发送 {count} 个排队的操作',

  'login.title': '登录',
  'login.failed': '登录没有成功',
  'login.retry': '重新登录',
  'login.signingIn': '正在登录…',
  'login.loggedOut': '你已退出登录',
  'login.privacyTitle': '隐私保护指引',
  'login.privacyBody': '使用前请阅读并同意《隐私保护指引》，我们只用你的信息来登录和保存收藏。',
  'login.privacyAgree': '同意并继续',
  'login.privacyDecline': '不同意',
  'login.privacyDeclined': '需要同意隐私保护指引才能继续使用',
  'login.privacyLink': '查看《隐私保护指引》',

  'products.title': '商品',
  'products.searchPlaceholder': '搜索商品',
  'products.searchLabel': '搜索商品',
  'products.clearSearch': '清除搜索',
  'products.empty': '没有找到商品',
  'products.emptySearch': '没有与“{q}”匹配的商品',
  'products.error': '商品加载失败',
  'products.offline': '离线中，暂无可显示的商品',
  'products.noMore': '没有更多了',
  'products.loadingMore': '加载更多…',
  'products.loadMoreFailed': '加载失败，点击重试',
  'products.favorite': '收藏',
  'products.unfavorite': '取消收藏',
  'products.favoriteQueued': '已离线保存，联网后同步',
  'products.favoriteFailed': '收藏没有保存成功',

  'detail.title': '商品详情',
  'detail.previewImage': '查看大图',
  'detail.error': '详情加载失败',
  'detail.category': '分类',

  'chat.title': '聊天室',
  'chat.placeholder': '说点什么…',
  'chat.send': '发送',
  'chat.sendLabel': '发送消息',
  'chat.sending': '发送中',
  'chat.sent': '已发送',
  'chat.failed': '发送失败，点击重试',
  'chat.retryLabel': '重新发送这条消息',
  'chat.status.idle': '未连接',
  'chat.status.connecting': '连接中…',
  'chat.status.online': '在线',
  'chat.status.reconnecting': '重新连接中…',
  'chat.status.offline': '离线',
  'chat.historyFailed': '历史消息加载失败',
  'chat.empty': '还没有消息，打个招呼吧',
  'chat.newMessages': '{count} 条新消息',
  'chat.tooLong': '消息太长了（最多 {max} 字）',

  'album.title': '相册',
  'album.choose': '选择图片',
  'album.chooseLabel': '选择要上传的图片',
  'album.queue': '上传队列',
  'album.uploads': '我的上传',
  'album.empty': '还没有上传过图片',
  'album.cancel': '取消',
  'album.cancelLabel': '取消上传 {name}',
  'album.retry': '重试',
  'album.status.queued': '等待中',
  'album.status.uploading': '上传中',
  'album.status.done': '已完成',
  'album.status.failed': '失败',
  'album.status.cancelled': '已取消',
  'album.save': '保存到相册',
  'album.saveLabel': '保存图片到系统相册',
  'album.saved': '已保存到相册',
  'album.saveDenied': '没有相册权限，图片未保存',
  'album.saveFailed': '保存失败',
  'album.noMore': '没有更多了',
  'album.loadFailed': '上传列表加载失败',
  'album.resumable': '大文件，分片上传',

  'me.title': '我的',
  'me.guest': '未登录',
  'me.language': '语言',
  'me.languageLabel': '切换语言',
  'me.monitor': '网络监控',
  'me.logout': '退出登录',
  'me.logoutConfirmTitle': '退出登录？',
  'me.logoutConfirmBody': '将清除本机的登录状态、缓存和未发送的操作。',
  'me.version': '版本',

  'monitor.title': '网络监控',
  'monitor.endpoints': '接口',
  'monitor.requests': '请求数',
  'monitor.errorRate': '错误率',
  'monitor.cacheHitRate': '缓存命中率',
  'monitor.retries': '重试次数',
  'monitor.slowest': '最慢的请求',
  'monitor.latency': '延迟趋势',
  'monitor.reset': '重置',
  'monitor.empty': '还没有请求记录',
  'monitor.refresh': '刷新',
  'monitor.appErrors': '应用错误',

  'error.title': '出错了',
  'error.body': '页面暂时无法显示',
  'error.back': '返回首页',
};

const en: MessageTable = {
  'tab.products': 'Products',
  'tab.chat': 'Chat',
  'tab.album': 'Album',
  'tab.me': 'Me',

  'common.retry': 'Retry',
  'common.loading': 'Loading…',
  'common.cancel': 'Cancel',
  'common.confirm': 'OK',
  'common.offline': 'Offline: showing saved content',

  'failure.network': 'Could not reach the network. Check your connection and try again.',
  'failure.timeout': 'The server took too long to answer. Please try again.',
  'failure.offline': 'You are offline',
  'failure.http': 'The request did not succeed',
  'failure.server': 'The server had a problem. Please try again later.',
  'failure.business': 'That did not work',
  'failure.auth': 'Your session ended. Please sign in again.',
  'failure.cancelled': 'Cancelled',
  'failure.parse': 'The server sent something unexpected',
  'failure.unknown': 'Something went wrong. Please try again.',

  'banner.offline': 'You are offline',
  'banner.offlineQueued': 'You are offline; {count} actions waiting to send',
  'banner.weak': 'Slow network',
  'banner.flushed': 'Sent {count} queued actions',

  'login.title': 'Sign in',
  'login.failed': 'Sign-in did not work',
  'login.retry': 'Try again',
  'login.signingIn': 'Signing in…',
  'login.loggedOut': 'You have signed out',
  'login.privacyTitle': 'Privacy notice',
  'login.privacyBody':
    'Please read and accept the privacy notice. Your data is only used to sign you in and keep your favorites.',
  'login.privacyAgree': 'Accept and continue',
  'login.privacyDecline': 'Decline',
  'login.privacyDeclined': 'You need to accept the privacy notice to continue',
  'login.privacyLink': 'Read the privacy notice',

  'products.title': 'Products',
  'products.searchPlaceholder': 'Search products',
  'products.searchLabel': 'Search products',
  'products.clearSearch': 'Clear search',
  'products.empty': 'No products found',
  'products.emptySearch': 'No products match “{q}”',
  'products.error': 'Products could not be loaded',
  'products.offline': 'Offline, and nothing saved to show yet',
  'products.noMore': 'No more products',
  'products.loadingMore': 'Loading more…',
  'products.loadMoreFailed': 'Loading failed, tap to retry',
  'products.favorite': 'Add to favorites',
  'products.unfavorite': 'Remove from favorites',
  'products.favoriteQueued': 'Saved offline, will sync when online',
  'products.favoriteFailed': 'The favorite was not saved',

  'detail.title': 'Product',
  'detail.previewImage': 'View full image',
  'detail.error': 'Details could not be loaded',
  'detail.category': 'Category',

  'chat.title': 'Chat room',
  'chat.placeholder': 'Say something…',
  'chat.send': 'Send',
  'chat.sendLabel': 'Send message',
  'chat.sending': 'Sending',
  'chat.sent': 'Sent',
  'chat.failed': 'Not sent, tap to retry',
  'chat.retryLabel': 'Send this message again',
  'chat.status.idle': 'Not connected',
  'chat.status.connecting': 'Connecting…',
  'chat.status.online': 'Online',
  'chat.status.reconnecting': 'Reconnecting…',
  'chat.status.offline': 'Offline',
  'chat.historyFailed': 'History could not be loaded',
  'chat.empty': 'No messages yet. Say hello!',
  'chat.newMessages': '{count} new messages',
  'chat.tooLong': 'Message too long (at most {max} characters)',

  'album.title': 'Album',
  'album.choose': 'Choose images',
  'album.chooseLabel': 'Choose images to upload',
  'album.queue': 'Upload queue',
  'album.uploads': 'My uploads',
  'album.empty': 'Nothing uploaded yet',
  'album.cancel': 'Cancel',
  'album.cancelLabel': 'Cancel upload of {name}',
  'album.retry': 'Retry',
  'album.status.queued': 'Waiting',
  'album.status.uploading': 'Uploading',
  'album.status.done': 'Done',
  'album.status.failed': 'Failed',
  'album.status.cancelled': 'Cancelled',
  'album.save': 'Save to album',
  'album.saveLabel': 'Save the image to the photo album',
  'album.saved': 'Saved to the album',
  'album.saveDenied': 'No album permission; the image was not saved',
  'album.saveFailed': 'Saving failed',
  'album.noMore': 'No more uploads',
  'album.loadFailed': 'Uploads could not be loaded',
  'album.resumable': 'Large file, uploading in chunks',

  'me.title': 'Me',
  'me.guest': 'Not signed in',
  'me.language': 'Language',
  'me.languageLabel': 'Switch language',
  'me.monitor': 'Network monitor',
  'me.logout': 'Sign out',
  'me.logoutConfirmTitle': 'Sign out?',
  'me.logoutConfirmBody':
    'This clears the sign-in, the cached data and any actions not yet sent on this device.',
  'me.version': 'Version',

  'monitor.title': 'Network monitor',
  'monitor.endpoints': 'Endpoints',
  'monitor.requests': 'Requests',
  'monitor.errorRate': 'Error rate',
  'monitor.cacheHitRate': 'Cache hit rate',
  'monitor.retries': 'Retries',
  'monitor.slowest': 'Slowest requests',
  'monitor.latency': 'Latency over time',
  'monitor.reset': 'Reset',
  'monitor.empty': 'No requests recorded yet',
  'monitor.refresh': 'Refresh',
  'monitor.appErrors': 'App errors',

  'error.title': 'Something went wrong',
  'error.body': 'This page cannot be shown right now',
  'error.back': 'Back to the home page',
};

addMessages({ 'zh-CN': zhCN, en });

/** Every key of the app's tables, for tests that check both locales are complete. */
export const APP_MESSAGE_TABLES: Readonly<Record<'zh-CN' | 'en', MessageTable>> = {
  'zh-CN': zhCN,
  en,
};

/**
 * The texts of one or more scopes in the current locale, keyed by what follows the scope:
 * `textsFor('chat')` → `{ title, placeholder, 'status.online', ... }` for `{{t.title}}` in WXML.
 */
export function textsFor(...scopes: string[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const key of Object.keys(zhCN)) {
    const dot = key.indexOf('.');
    const scope = key.slice(0, dot);
    if (!scopes.includes(scope)) continue;
    texts[key.slice(dot + 1).replace(/\./g, '_')] = t(key);
  }
  return texts;
}
