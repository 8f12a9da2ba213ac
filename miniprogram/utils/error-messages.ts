/**
 * User-facing texts of the request stack, one table per language (zh-CN default, English
 * available). `error.<kind>` is the message of each AppError kind (see userMessageFor); the rest
 * label the Retry modal and the loading indicator. Short on purpose: a toast with an icon shows
 * at most 7 Chinese characters.
 */
import { addMessages } from './i18n';

addMessages({
  'zh-CN': {
    'error.network': '网络异常',
    'error.timeout': '请求超时',
    'error.offline': '网络已断开',
    'error.http': '服务异常 {status}',
    'error.business': '操作失败',
    'error.auth': '请重新登录',
    'error.cancelled': '已取消',
    'error.parse': '数据解析失败',
    'error.retry': '重试',
    'error.cancel': '取消',
    'error.loading': '加载中',
  },
  en: {
    'error.network': 'Network error',
    'error.timeout': 'Request timed out',
    'error.offline': 'You are offline',
    'error.http': 'The service is unavailable ({status})',
    'error.business': 'Operation failed',
    'error.auth': 'Please log in again',
    'error.cancelled': 'Cancelled',
    'error.parse': 'Invalid data',
    'error.retry': 'Retry',
    'error.cancel': 'Cancel',
    'error.loading': 'Loading',
  },
});
