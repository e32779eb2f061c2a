/**
 * Texts of the telemetry charts' zoom, export and missing-data states; en.ts and vi.ts merge them. The Vietnamese
 * object must have exactly the English keys.
 */
export const telemetryEn = {
  'telemetry.historyTitle': 'Telemetry history',
  'telemetry.historyStatus': 'Stored samples, {from} – {to}',
  'telemetry.chartKeys':
    '{title}, {from} – {to}. Keys: + and − zoom, ← and → move in time, 0 or Home shows the whole range. Mouse: wheel zooms, drag moves.',
  'telemetry.zoomIn': 'Zoom in',
  'telemetry.zoomOut': 'Zoom out',
  'telemetry.zoomReset': 'Whole range',
  'telemetry.zoomed': 'Zoomed: {from} – {to}',
  'telemetry.zoomTools': 'Zoom and export',
  'telemetry.exportCsv': 'Export CSV',
  'telemetry.exported': 'Saved {rows} samples as {name}',
  'telemetry.noMotor': 'No motor data: {reason}.',
  'telemetry.noMotor.login': 'the backend API asks for a login before it gives motor values',
  'telemetry.noMotor.refused': 'the backend API refused the request',
  'telemetry.noMotor.notListening': 'nothing answers on the backend API’s port (is the backend running?)',
  'telemetry.noMotor.noAnswer': 'the backend API did not answer in time',
  'telemetry.noMotor.notTelemetry': 'the backend API answered something that is not telemetry',
  'telemetry.noMotor.noFields': 'the backend API’s answer has no motor speed or temperature',
  'telemetry.noMotor.noCurl': 'curl is missing on the vehicle, so the backend API cannot be asked',
  'telemetry.noMotor.connection': 'the connection to the unit is lost',
  'telemetry.noMotor.backendOther': 'the backend API could not be read',
  'telemetry.noMotor.notRecorded': 'none were recorded in this time range',
} as const;

export const telemetryVi: Record<keyof typeof telemetryEn, string> = {
  'telemetry.historyTitle': 'Lịch sử dữ liệu đo',
  'telemetry.historyStatus': 'Mẫu đã lưu, {from} – {to}',
  'telemetry.chartKeys':
    '{title}, {from} – {to}. Phím: + và − phóng to, thu nhỏ; ← và → dời theo thời gian; 0 hoặc Home xem toàn bộ. Chuột: cuộn để phóng to, kéo để dời.',
  'telemetry.zoomIn': 'Phóng to',
  'telemetry.zoomOut': 'Thu nhỏ',
  'telemetry.zoomReset': 'Toàn bộ khoảng',
  'telemetry.zoomed': 'Đang phóng to: {from} – {to}',
  'telemetry.zoomTools': 'Phóng to và xuất',
  'telemetry.exportCsv': 'Xuất CSV',
  'telemetry.exported': 'Đã lưu {rows} mẫu vào {name}',
  'telemetry.noMotor': 'Không có dữ liệu động cơ: {reason}.',
  'telemetry.noMotor.login': 'API của backend yêu cầu đăng nhập trước khi trả giá trị động cơ',
  'telemetry.noMotor.refused': 'API của backend từ chối yêu cầu',
  'telemetry.noMotor.notListening': 'không có gì trả lời ở cổng API của backend (backend có đang chạy không?)',
  'telemetry.noMotor.noAnswer': 'API của backend không trả lời kịp',
  'telemetry.noMotor.notTelemetry': 'API của backend trả về nội dung không phải dữ liệu đo',
  'telemetry.noMotor.noFields': 'câu trả lời của API backend không có tốc độ hay nhiệt độ động cơ',
  'telemetry.noMotor.noCurl': 'xe không có curl nên không hỏi được API của backend',
  'telemetry.noMotor.connection': 'mất kết nối tới xe',
  'telemetry.noMotor.backendOther': 'không đọc được API của backend',
  'telemetry.noMotor.notRecorded': 'không có số đo nào được ghi trong khoảng thời gian này',
};
