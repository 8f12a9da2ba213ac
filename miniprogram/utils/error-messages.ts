/** User-facing texts of the request stack (zh-CN default, English available). */
import { addMessages } from './i18n';

addMessages({
  'zh-CN': {
    'error.network': '网络异常，请稍后重试',
    'error.timeout': '请求超时，请稍后重试',
    'error.offline': '网络已断开，请检查网络设置',
    'error.http': '服务暂时不可用（{status}）',
    'error.business': '操作失败，请稍后重试',
    'error.auth': '登录已失效，请重新登录',
    'error.cancelled': '请求已取消',
    'error.parse': '数据解析失败',
    'error.title': '提示',
    'error.retry': '重试',
    'error.cancel': '取消',
    'error.loading': '加载中',
  },
  en: {
    'error.network': 'Network error, please try again later',
    'error.timeout': 'The request timed out, please try again',
    'error.offline': 'You are offline, please check your network',
    'error.http': 'The service is unavailable ({status})',
    'error.business': 'The operation failed, please try again',
    'error.auth': 'Your session has expired, please log in again',
    'error.cancelled': 'The request was cancelled',
    'error.parse': 'The reply could not be read',
    'error.title': 'Notice',
    'error.retry': 'Retry',
    'error.cancel': 'Cancel',
    'error.loading': 'Loading',
  },
});
