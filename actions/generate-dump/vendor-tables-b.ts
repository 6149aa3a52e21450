/** The vendor's own tables, l to z (see vendor-tables-a.ts). */
import type { VendorTable } from './vendor-tables-a.ts';

const TS = ['created_at timestamp #作成日時', 'updated_at timestamp #更新日時'];

export const VENDOR_TABLES_B: Record<string, VendorTable> = {
  line_messages: {
    n: 'x:movings:3', comment: 'LINEメッセージ',
    columns: ['id bigint unsigned AI', 'tenant_id int unsigned', 'direction tinyint NN ~code:2 #1:受信 2:送信', 'message text NN #本文', 'sent_at datetime NN #送信日時', 'staff_id int unsigned', ...TS],
    keys: { idx_line_messages_tenant: ['tenant_id'], idx_line_messages_sent_at: ['sent_at'] },
  },
  mail_logs: {
    n: 'x:movings:8', comment: 'メール送信ログ',
    columns: ['id bigint unsigned AI', 'email_template_id int unsigned', 'tenant_id int unsigned', 'to_address varchar(255) NN ~email #宛先', 'subject varchar(255) NN ~title #件名', 'body text #本文', 'status tinyint NN =1 ~code:3 #1:送信済 2:失敗 3:保留', 'sent_at datetime #送信日時', ...TS],
    keys: { idx_mail_logs_tenant: ['tenant_id'], idx_mail_logs_sent_at: ['sent_at'] },
  },
  maintenance_requests: {
    n: 'x:movings:0.4', comment: '修繕依頼',
    columns: ['id int unsigned AI', 'room_id int unsigned NN', 'tenant_id int unsigned', 'category tinyint NN ~code:8 #区分', 'description text #内容', 'priority tinyint NN =2 ~code:3 #優先度', 'status tinyint NN =1 ~code:4 #状態', 'reported_at datetime NN #受付日時', 'completed_at datetime #完了日時', ...TS],
    keys: { idx_maintenance_requests_room: ['room_id'] },
  },
  maintenance_works: {
    n: 'x:maintenance_requests:0.8', comment: '修繕作業',
    columns: ['id int unsigned AI', 'maintenance_request_id int unsigned NN', 'vendor_name varchar(100) ~company #業者名', 'work_date date #作業日', 'cost int unsigned NN =0 ~money:3000:300000 #費用', 'memo text', ...TS],
    keys: { idx_maintenance_works_request: ['maintenance_request_id'] },
  },
  migrations: {
    n: 'fixed:152', comment: 'マイグレーション',
    columns: ['id int unsigned AI', 'migration varchar(255) NN ~code', 'batch int NN ~int:1:40'],
  },
  news: { n: 'fixed:120', comment: 'お知らせ', columns: ['id int unsigned AI', 'title varchar(255) NN #タイトル', 'body text NN #本文', 'published_at datetime #公開日時', 'is_published tinyint(1) NN =0', 'apartment_id int unsigned', ...TS] },
  notifications: {
    n: 'x:tenants:4', comment: '通知',
    columns: ['id char(36) NN ~hex:32', 'type varchar(255) NN ~pick:App\\Notifications\\RentReminder|App\\Notifications\\MoveoutNotice|App\\Notifications\\Maintenance', 'notifiable_type varchar(255) NN ~pick:App\\Models\\Tenant', 'notifiable_id bigint unsigned NN ~fk:tenants', 'data text NN ~json', 'read_at timestamp', ...TS],
    keys: { notifications_notifiable_type_notifiable_id_index: ['notifiable_type', 'notifiable_id'] },
  },
  oauth_access_tokens: { n: 'empty', comment: 'OAuthトークン', primaryKey: ['id'], columns: ['id varchar(100) NN', 'user_id bigint unsigned', 'client_id bigint unsigned NN', 'name varchar(255)', 'scopes text', 'revoked tinyint(1) NN', ...TS, 'expires_at datetime'] },
  owner_payments: {
    n: 'x:apartments:96', comment: 'オーナー支払',
    columns: ['id int unsigned AI', 'apartment_contract_id int unsigned NN', 'payment_month char(7) NN ~pick:2024-10|2024-11|2024-12|2025-01|2025-02|2025-03 #支払月', 'amount int unsigned NN =0 ~money:200000:3000000', 'paid_on date #支払日', ...TS],
    keys: { idx_owner_payments_contract: ['apartment_contract_id'] },
  },
  parking_contracts: {
    n: 'x:movings:0.02', comment: '駐輪場・駐車場契約',
    columns: ['id int unsigned AI', 'parking_lot_id int unsigned NN', 'moving_id int unsigned NN', 'monthly_fee int unsigned NN =0 ~money:500:15000', 'start_date date NN', 'end_date date', ...TS],
  },
  parking_lots: { n: 'x:apartments:0.3', comment: '駐輪場・駐車場', columns: ['id int unsigned AI', 'apartment_id int unsigned NN', 'lot_type tinyint NN ~code:2 #1:駐輪 2:駐車', 'capacity smallint unsigned NN =0 ~int:2:40', ...TS] },
  password_resets: { n: 'empty', comment: 'パスワードリセット', primaryKey: [], columns: ['email varchar(255) NN', 'token varchar(255) NN', 'created_at timestamp'], keys: { password_resets_email_index: ['email'] } },
  payment_methods: { n: 'fixed:6', comment: '支払方法', columns: ['id int unsigned AI', 'method_name varchar(50) NN ~pick:口座振替|銀行振込|クレジットカード|コンビニ払い|現金|PayPay #支払方法', 'is_active tinyint(1) NN =1', ...TS] },
  payments: {
    n: 'x:invoices:0.97', comment: '入金',
    columns: ['id int unsigned AI', 'invoice_id int unsigned NN', 'payment_method_id int unsigned NN', 'amount int NN =0 #入金額', 'paid_at datetime NN #入金日時', 'payer_name varchar(100) ~kana #振込名義', 'note varchar(255) ~title', ...TS],
    keys: { idx_payments_invoice: ['invoice_id'], idx_payments_paid_at: ['paid_at'] },
    foreign: { fk_payments_invoice: [['invoice_id'], 'invoices', ['id']] },
  },
  personal_access_tokens: {
    n: 'empty', comment: 'APIトークン',
    columns: ['id bigint unsigned AI', 'tokenable_type varchar(255) NN', 'tokenable_id bigint unsigned NN', 'name varchar(255) NN', 'token varchar(64) NN', 'abilities text', 'last_used_at timestamp', ...TS],
    unique: { personal_access_tokens_token_unique: ['token'] },
  },
  point_histories: { n: 'empty', comment: 'ポイント履歴（廃止）', columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'points int NN =0', 'reason varchar(100)', ...TS] },
  price_histories: {
    n: 'x:rooms:3', comment: '賃料改定履歴',
    columns: ['id int unsigned AI', 'room_id int unsigned NN', 'old_rent int unsigned NN =0 ~money:30000:90000 #旧賃料', 'new_rent int unsigned NN =0 ~money:30000:90000 #新賃料', 'effective_date date NN #適用日', 'staff_id int unsigned', ...TS],
    keys: { idx_price_histories_room: ['room_id'] },
  },
  questionnaire_answers: {
    n: 'x:movings:0.3', comment: 'アンケート回答',
    columns: ['id int unsigned AI', 'questionnaire_id int unsigned NN', 'tenant_id int unsigned', 'score tinyint ~int:1:5 #満足度', 'answer text #回答', ...TS],
  },
  questionnaires: { n: 'fixed:10', comment: 'アンケート', columns: ['id int unsigned AI', 'title varchar(255) NN', 'is_active tinyint(1) NN =1', ...TS] },
  receipts: {
    n: 'x:payments:0.3', comment: '領収書',
    columns: ['id int unsigned AI', 'payment_id int unsigned NN', 'receipt_number varchar(20) NN ~code #領収書番号', 'issued_on date NN', 'file_path varchar(255)', ...TS],
    unique: { uk_receipts_number: ['receipt_number'] },
  },
  referral_codes: { n: 'x:tenants:0.05', comment: '紹介コード', columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'referral_code varchar(20) NN ~code', 'used_count smallint unsigned NN =0 ~int:0:5', ...TS] },
  rent_discounts: {
    n: 'x:movings:0.1', comment: '賃料割引',
    columns: ['id int unsigned AI', 'moving_id int unsigned NN', 'discount_amount int unsigned NN =0 ~money:1000:10000', 'start_date date NN', 'end_date date', 'reason varchar(255) ~title', ...TS],
  },
  reservations: {
    n: 'x:inquiries:0.5', comment: '内見予約',
    columns: ['id int unsigned AI', 'inquiry_id int unsigned', 'apartment_id int unsigned NN', 'room_id int unsigned', 'reserved_at datetime NN #予約日時', 'visitor_name varchar(100) ~person #来訪者', 'status tinyint NN =1 ~code:4 #1:予約 2:来訪 3:キャンセル 4:無断', 'staff_id int unsigned', ...TS],
    keys: { idx_reservations_apartment: ['apartment_id'], idx_reservations_reserved_at: ['reserved_at'] },
  },
  room_equipments: {
    n: 'x:rooms:6', comment: '部屋備品',
    columns: ['id int unsigned AI', 'room_id int unsigned NN', 'equipment_master_id int unsigned NN', 'quantity tinyint unsigned NN =1 ~int:1:3', 'installed_on date', ...TS],
    keys: { idx_room_equipments_room: ['room_id'] },
    foreign: { fk_room_equipments_room: [['room_id'], 'rooms', ['id']] },
  },
  room_images: { n: 'x:rooms:3', comment: '部屋画像', columns: ['id int unsigned AI', 'room_id int unsigned NN', 'image_path varchar(255) NN', 'sort_order smallint unsigned NN =0 ~int:1:10', ...TS], keys: { idx_room_images_room: ['room_id'] } },
  room_types: { n: 'fixed:3', comment: '部屋タイプ', columns: ['id int unsigned AI', 'type_key varchar(20) NN ~pick:private|shared|dormitory', 'name_ja varchar(50) NN ~pick:個室|シェアルーム|ドミトリー', ...TS] },
  sessions: {
    n: 'empty', comment: 'セッション', primaryKey: ['id'],
    columns: ['id varchar(255) NN', 'user_id bigint unsigned', 'ip_address varchar(45)', 'user_agent text', 'payload longtext NN', 'last_activity int NN'],
    keys: { sessions_user_id_index: ['user_id'], sessions_last_activity_index: ['last_activity'] },
  },
  settlements: {
    n: 'x:movings:0.8', comment: '退去精算',
    columns: ['id int unsigned AI', 'moving_id int unsigned NN', 'cleaning_fee int unsigned NN =0 ~money:0:30000 #清掃費', 'repair_fee int unsigned NN =0 ~money:0:50000 #修繕費', 'refund_amount int NN =0 #返金額', 'settled_on date #精算日', 'status tinyint NN =1 ~code:3', ...TS],
    keys: { idx_settlements_moving: ['moving_id'] },
  },
  shared_facilities: { n: 'x:apartments:4', comment: '共用施設予約枠', columns: ['id int unsigned AI', 'apartment_id int unsigned NN', 'facility_name varchar(50) NN ~pick:ラウンジ|会議室|シアター|ジム|屋上', 'capacity smallint unsigned ~int:2:20', ...TS] },
  sms_logs: {
    n: 'x:movings:1', comment: 'SMS送信ログ',
    columns: ['id bigint unsigned AI', 'tenant_id int unsigned', 'tel varchar(20) NN', 'message varchar(500) NN ~text', 'status tinyint NN =1 ~code:3', 'sent_at datetime', ...TS],
    keys: { idx_sms_logs_tenant: ['tenant_id'] },
  },
  staff_schedules: { n: 'scale:20000', comment: 'スタッフ勤務予定', columns: ['id int unsigned AI', 'admin_user_id int unsigned NN', 'work_date date NN', 'shift_type tinyint NN ~code:3 #1:早番 2:遅番 3:休み', 'memo varchar(255) ~title', ...TS], keys: { idx_staff_schedules_user_date: ['admin_user_id', 'work_date'] } },
  stations: { n: 'fixed:120', comment: '駅マスタ', columns: ['id int unsigned AI', 'station_name varchar(50) NN ~pick:新宿|渋谷|池袋|高田馬場|中野|高円寺|吉祥寺|三軒茶屋|下北沢|中目黒|蒲田|赤羽|浅草|錦糸町|日吉|武蔵小杉|浦和|船橋', 'line_name varchar(50) ~pick:JR山手線|JR中央線|東京メトロ東西線|京王線|小田急線|東急東横線|都営大江戸線', 'area_id int unsigned', ...TS] },
  tags: { n: 'fixed:30', comment: 'タグ', columns: ['id int unsigned AI', 'tag_name varchar(50) NN ~title', ...TS] },
  tenant_documents: {
    n: 'x:tenants:2', comment: '入居者書類',
    columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'document_type tinyint NN ~code:6 #1:在留カード 2:パスポート 3:学生証 4:社員証 5:運転免許証 6:その他', 'file_path varchar(255) NN', 'expires_on date #有効期限', ...TS],
    keys: { idx_tenant_documents_tenant: ['tenant_id'] },
  },
  tenant_emergency_contacts: {
    n: 'x:tenants:0.8', comment: '緊急連絡先',
    columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'contact_name varchar(100) NN ~person', 'relationship varchar(20) ~pick:父|母|兄弟|友人|会社|その他', 'tel varchar(20)', 'email varchar(255)', 'country varchar(50) ~pick:日本|中国|韓国|アメリカ|フランス|その他', ...TS],
    keys: { idx_tenant_emergency_contacts_tenant: ['tenant_id'] },
  },
  tenant_tags: { n: 'x:tenants:0.3', comment: '入居者タグ', columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'tag_id int unsigned NN', ...TS], keys: { idx_tenant_tags_tenant: ['tenant_id'] } },
  trouble_reports: {
    n: 'x:movings:0.1', comment: 'トラブル報告',
    columns: ['id int unsigned AI', 'apartment_id int unsigned NN', 'tenant_id int unsigned', 'category tinyint NN ~code:6', 'description text', 'reported_at datetime NN', 'resolved_at datetime', 'staff_id int unsigned', ...TS],
  },
  utility_charges: {
    n: 'x:apartments:288', comment: '水道光熱費',
    columns: ['id int unsigned AI', 'apartment_id int unsigned NN', 'utility_type tinyint NN ~code:3 #1:電気 2:ガス 3:水道', 'billing_month char(7) NN ~pick:2025-07|2025-08|2025-09|2025-10|2025-11|2025-12', 'amount int unsigned NN =0 ~money:5000:400000', ...TS],
    keys: { idx_utility_charges_apartment: ['apartment_id'] },
  },
  viewing_feedbacks: { n: 'x:reservations:0.6', comment: '内見フィードバック', columns: ['id int unsigned AI', 'reservation_id int unsigned NN', 'score tinyint ~int:1:5', 'comment text', ...TS] },
  visa_informations: {
    n: 'x:tenants:0.45', comment: '在留資格',
    columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'visa_type varchar(50) ~pick:留学|技術・人文知識・国際業務|ワーキングホリデー|家族滞在|永住者|特定活動|特定技能 #在留資格', 'card_number varchar(20) ~code #在留カード番号', 'expires_on date #在留期限', ...TS],
    keys: { idx_visa_informations_tenant: ['tenant_id'] },
  },
  webhooks: { n: 'empty', comment: 'Webhook（未使用）', columns: ['id int unsigned AI', 'url varchar(255) NN', 'event varchar(50) NN', 'secret varchar(64)', 'is_active tinyint(1) NN =1', ...TS] },
};
