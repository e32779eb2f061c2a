import type { Template } from '../said';

/** The CLI's human output (`--lang vi` or OHTW_LANG=vi); JSON output has no words and stays as it is. */
export const CLI_WORDS = {
  'cli.noUnits': {
    en: 'No units yet. Add one: ohtw units add NAME --host HOST --user USER --key FILE',
    vi: 'Chưa có xe nào. Thêm một xe: ohtw units add NAME --host HOST --user USER --key FILE',
  },
  'cli.col.name': { en: 'NAME', vi: 'TÊN' },
  'cli.col.address': { en: 'ADDRESS', vi: 'ĐỊA CHỈ' },
  'cli.col.hostKey': { en: 'HOST KEY', vi: 'KHÓA MÁY CHỦ' },
  'cli.col.lastLevel': { en: 'LAST LEVEL', vi: 'MỨC GẦN NHẤT' },
  'cli.col.lastDiagnosis': { en: 'LAST DIAGNOSIS', vi: 'LẦN CHẨN ĐOÁN GẦN NHẤT' },
  'cli.notTrusted': { en: 'not trusted', vi: 'chưa tin cậy' },
  'cli.neverDiagnosed': { en: 'never diagnosed', vi: 'chưa chẩn đoán' },
  'cli.reportHead': { en: '{unit}  {level}  ({seconds:2} s, {at})', vi: '{unit}  {level}  ({seconds:2} s, {at})' },
  'cli.runbook': { en: '→ runbook: {section}', vi: '→ sổ tay vận hành: {section}' },
  'cli.sincePrevious': { en: 'Since the previous sweep{when}:', vi: 'So với lần quét trước{when}:' },
} as const satisfies Record<string, Template>;
