/**
 * The vendor's own tables, a to k (the warehouse does not read them, the dump must still carry
 * them faithfully). `n` sizes each table: `fixed:N`, `x:TABLE:F` (F rows per row of TABLE),
 * `scale:N` (N at scale 1) or `empty` (the vendor ships several empty tables).
 */
import type { TableSpec } from './ddl.ts';

export interface VendorTable extends TableSpec {
  n: string;
}

const TS = ['created_at timestamp #作成日時', 'updated_at timestamp #更新日時'];

export const VENDOR_TABLES_A: Record<string, VendorTable> = {
  admin_roles: { n: 'fixed:6', comment: '管理者ロール', columns: ['id int unsigned AI', 'name varchar(50) NN ~pick:管理者|店長|スタッフ|経理|オーナー対応|閲覧のみ #ロール名', 'description varchar(255) #説明', ...TS] },
  admin_user_roles: {
    n: 'x:admin_users:1.2', comment: '管理者ロール割当',
    columns: ['id int unsigned AI', 'admin_user_id int unsigned NN', 'admin_role_id int unsigned NN', ...TS],
    keys: { idx_admin_user_roles_user: ['admin_user_id'] },
  },
  admin_users: {
    n: 'fixed:64', comment: '管理者（スタッフ）',
    columns: ['id int unsigned AI', 'staff_name varchar(100) NN ~person #氏名', 'email varchar(255) NN #メールアドレス', 'password varchar(255) NN ~hex:32 #パスワード（ハッシュ）', 'remember_token varchar(100) ~hex:32', 'is_active tinyint(1) NN =1 #有効', 'last_login_at datetime #最終ログイン', ...TS],
    unique: { uk_admin_users_email: ['email'] },
  },
  apartment_contracts: {
    n: 'x:apartments:1.1', comment: 'オーナー契約（マスターリース）',
    columns: ['id int unsigned AI', 'apartment_id int unsigned NN #物件ID', 'apartment_owner_id int unsigned NN #オーナーID', 'start_date date NN #開始日', 'end_date date #終了日', 'monthly_rent int unsigned NN =0 #月額賃料', 'contract_file varchar(255) #契約書ファイル', 'note text #備考', ...TS],
    keys: { idx_apartment_contracts_apartment: ['apartment_id'] },
  },
  apartment_facilities: {
    n: 'x:apartments:6', comment: '物件設備',
    columns: ['id int unsigned AI', 'apartment_id int unsigned NN', 'facility_name varchar(50) NN ~pick:キッチン|シャワー|ランドリー|ラウンジ|屋上テラス|ジム|シアタールーム|ワークスペース|駐輪場 #設備名', 'quantity tinyint unsigned NN =1 ~int:1:6 #数量', ...TS],
    keys: { idx_apartment_facilities_apartment: ['apartment_id'] },
  },
  apartment_images: {
    n: 'x:apartments:8', comment: '物件画像',
    columns: ['id int unsigned AI', 'apartment_id int unsigned NN', 'image_path varchar(255) NN #画像パス', 'sort_order smallint unsigned NN =0 ~int:1:20 #表示順', 'caption varchar(100) #キャプション', ...TS],
    keys: { idx_apartment_images_apartment: ['apartment_id'] },
    foreign: { fk_apartment_images_apartment: [['apartment_id'], 'apartments', ['id']] },
  },
  apartment_owners: {
    n: 'x:apartments:0.6', comment: '物件オーナー',
    columns: ['id int unsigned AI', 'owner_name varchar(100) NN ~person #オーナー名', 'owner_name_kana varchar(100) #オーナー名カナ', 'company_name varchar(100) #法人名', 'zip_code varchar(8) #郵便番号', 'address varchar(255) #住所', 'tel varchar(20) #電話番号', 'email varchar(255) #メール', ...TS],
  },
  areas: { n: 'fixed:12', comment: 'エリア', columns: ['id int unsigned AI', 'area_name varchar(50) NN ~pick:新宿|渋谷|中野|杉並|池袋|世田谷|目黒|品川|城東|城北|神奈川|埼玉・千葉 #エリア名', 'sort_order smallint unsigned NN =0 ~int:1:12', ...TS] },
  bank_accounts: {
    n: 'x:apartment_owners:1', comment: 'オーナー口座',
    columns: ['id int unsigned AI', 'apartment_owner_id int unsigned NN', 'bank_id int unsigned NN', 'branch_name varchar(50) ~pick:新宿支店|渋谷支店|本店営業部|池袋支店|横浜支店 #支店名', 'account_type tinyint NN =1 ~code:2 #種別 1:普通 2:当座', 'account_number varchar(10) NN ~code #口座番号', 'account_holder varchar(100) ~kana #名義（カナ）', ...TS],
    keys: { idx_bank_accounts_owner: ['apartment_owner_id'] },
  },
  banks: { n: 'fixed:30', comment: '金融機関', columns: ['id int unsigned AI', 'bank_code char(4) NN ~code #金融機関コード', 'bank_name varchar(50) NN ~pick:みずほ銀行|三菱UFJ銀行|三井住友銀行|りそな銀行|ゆうちょ銀行|楽天銀行|PayPay銀行|住信SBIネット銀行 #金融機関名', ...TS] },
  campaign_applications: {
    n: 'x:movings:0.1', comment: 'キャンペーン適用',
    columns: ['id int unsigned AI', 'campaign_id int unsigned NN', 'moving_id int unsigned NN', 'discount_amount int unsigned NN =0 ~money:1000:30000 #割引額', ...TS],
    keys: { idx_campaign_applications_moving: ['moving_id'] },
  },
  campaigns: {
    n: 'fixed:40', comment: 'キャンペーン',
    columns: ['id int unsigned AI', 'title varchar(100) NN #キャンペーン名', 'discount_type tinyint NN =1 ~code:2 #割引種別 1:定額 2:定率', 'discount_value int unsigned NN =0 ~int:1000:30000 #割引値', 'start_date date NN #開始日', 'end_date date #終了日', 'is_active tinyint(1) NN =1', ...TS],
  },
  cleaning_schedules: {
    n: 'x:movings:0.8', comment: '清掃スケジュール',
    columns: ['id int unsigned AI', 'room_id int unsigned NN', 'staff_id int unsigned #担当者', 'scheduled_date date NN #予定日', 'completed_at datetime #完了日時', 'status tinyint NN =1 ~code:3 #状態', 'memo varchar(255) #メモ', ...TS],
    keys: { idx_cleaning_schedules_room: ['room_id'], idx_cleaning_schedules_date: ['scheduled_date'] },
  },
  code_masters: {
    n: 'fixed:124', comment: '汎用コードマスタ',
    columns: ['id int unsigned AI', 'code_group varchar(50) NN ~pick:gender|tenant_status|contract_type|personal_identity|affiliation_type|moveout_reason|room_type|inquiry_channel #コード区分', 'code smallint NN ~int:1:18 #コード値', 'name_ja varchar(100) NN ~title #名称', 'name_en varchar(100) ~title #英語名称', 'sort_order smallint unsigned NN =0 ~int:1:20', ...TS],
    keys: { idx_code_masters_group: ['code_group', 'code'] },
  },
  company_settings: { n: 'fixed:1', comment: '会社設定', columns: ['id int unsigned AI', 'company_name varchar(100) NN ~company', 'zip_code varchar(8)', 'address varchar(255)', 'tel varchar(20)', 'invoice_registration_number varchar(20) ~code #インボイス登録番号', ...TS] },
  contract_documents: {
    n: 'x:movings:2', comment: '契約書類',
    columns: ['id int unsigned AI', 'moving_id int unsigned NN', 'document_type tinyint NN ~code:6 #書類種別', 'file_path varchar(255) NN #ファイルパス', 'signed_at datetime #署名日時', ...TS],
    keys: { idx_contract_documents_moving: ['moving_id'] },
  },
  contract_renewals: {
    n: 'x:movings:0.15', comment: '契約更新',
    columns: ['id int unsigned AI', 'moving_id int unsigned NN', 'renewal_date date NN #更新日', 'new_end_date date #新契約終了日', 'renewal_fee int unsigned NN =0 ~money:0:20000 #更新料', 'staff_id int unsigned', ...TS],
    keys: { idx_contract_renewals_moving: ['moving_id'] },
  },
  corporate_clients: {
    n: 'scale:400', comment: '法人顧客',
    columns: ['id int unsigned AI', 'company_name varchar(100) NN #法人名', 'contact_name varchar(100) ~person #担当者名', 'email varchar(255)', 'tel varchar(20)', 'address varchar(255)', 'billing_type tinyint NN =1 ~code:3 #請求区分', ...TS],
  },
  coupons: { n: 'empty', comment: 'クーポン（未使用）', columns: ['id int unsigned AI', 'coupon_code varchar(20) NN', 'discount_amount int unsigned NN =0', 'expires_at datetime', ...TS], unique: { uk_coupons_code: ['coupon_code'] } },
  deposits_refunds: {
    n: 'x:movings:0.5', comment: 'デポジット返金',
    columns: ['id int unsigned AI', 'moving_id int unsigned NN', 'refund_amount int unsigned NN =0 ~money:0:30000 #返金額', 'deduction_amount int unsigned NN =0 ~money:0:20000 #控除額', 'refunded_on date #返金日', 'status tinyint NN =1 ~code:3', ...TS],
    keys: { idx_deposits_refunds_moving: ['moving_id'] },
  },
  email_templates: {
    n: 'fixed:45', comment: 'メールテンプレート',
    columns: ['id int unsigned AI', 'template_key varchar(50) NN ~code #テンプレートキー', 'subject varchar(255) NN #件名', 'body text NN #本文', 'language char(2) NN =ja ~pick:ja|en|zh|ko #言語', ...TS],
    unique: { uk_email_templates_key: ['template_key', 'language'] },
  },
  equipment_masters: { n: 'fixed:50', comment: '備品マスタ', columns: ['id int unsigned AI', 'equipment_name varchar(50) NN ~pick:ベッド|デスク|チェア|エアコン|冷蔵庫|電子レンジ|洗濯機|テレビ|カーテン|照明|収納棚|ハンガーラック #備品名', 'unit_price int unsigned NN =0 ~money:1000:80000 #単価', ...TS] },
  events: { n: 'empty', comment: 'イベント（未使用）', columns: ['id int unsigned AI', 'title varchar(100) NN', 'event_date date', 'apartment_id int unsigned', 'description text', ...TS] },
  failed_jobs: {
    n: 'empty', comment: '失敗ジョブ',
    columns: ['id bigint unsigned AI', 'uuid varchar(255) NN', 'connection text NN', 'queue text NN', 'payload longtext NN', 'exception longtext NN', 'failed_at timestamp NN =CURRENT_TIMESTAMP'],
    unique: { failed_jobs_uuid_unique: ['uuid'] },
  },
  faqs: { n: 'fixed:80', comment: 'よくある質問', columns: ['id int unsigned AI', 'question varchar(255) NN ~title #質問', 'answer text NN #回答', 'language char(2) NN =ja ~pick:ja|en', 'sort_order smallint unsigned NN =0 ~int:1:80', 'is_public tinyint(1) NN =1', ...TS] },
  guarantor_companies: { n: 'fixed:8', comment: '保証会社', columns: ['id int unsigned AI', 'company_name varchar(100) NN ~pick:日本セーフティー|全保連|Casa|GTN|エポスカード|ジェイリース|フォーシーズ|日本賃貸保証 #保証会社名', 'tel varchar(20)', 'fee_rate decimal(5,2) NN =0.00 ~dec:20:100 #保証料率', ...TS] },
  guarantors: {
    n: 'x:tenants:0.3', comment: '連帯保証人',
    columns: ['id int unsigned AI', 'tenant_id int unsigned NN', 'guarantor_name varchar(100) NN ~person #保証人氏名', 'relationship varchar(20) ~pick:父|母|兄|姉|配偶者|会社|その他 #続柄', 'tel varchar(20)', 'address varchar(255)', 'guarantor_company_id int unsigned', ...TS],
    keys: { idx_guarantors_tenant: ['tenant_id'] },
  },
  inquiry_responses: {
    n: 'x:inquiries:1.5', comment: '問い合わせ対応履歴',
    columns: ['id int unsigned AI', 'inquiry_id int unsigned NN', 'staff_id int unsigned', 'response_type tinyint NN ~code:4 #対応種別', 'content text #対応内容', 'responded_at datetime NN #対応日時', ...TS],
    keys: { idx_inquiry_responses_inquiry: ['inquiry_id'] },
  },
  invoice_items: {
    n: 'x:invoices:1.6', comment: '請求明細',
    columns: ['id int unsigned AI', 'invoice_id int unsigned NN', 'item_name varchar(100) NN ~pick:賃料|共益費|水道光熱費|清掃費|鍵交換費|事務手数料|延滞金 #項目', 'amount int NN =0 ~money:500:90000 #金額', 'tax_rate tinyint unsigned NN =10 ~pick:0|10 #税率', ...TS],
    keys: { idx_invoice_items_invoice: ['invoice_id'] },
    foreign: { fk_invoice_items_invoice: [['invoice_id'], 'invoices', ['id']] },
  },
  invoices: {
    n: 'x:movings:6', comment: '請求',
    columns: ['id int unsigned AI', 'moving_id int unsigned NN', 'tenant_id int unsigned NN', 'billing_month char(7) NN ~pick:2025-01|2025-02|2025-03|2025-04|2025-05|2025-06|2025-07|2025-08|2025-09|2025-10|2025-11|2025-12 #請求月', 'total_amount int NN =0 #合計金額', 'due_date date NN #支払期日', 'status tinyint NN =1 ~code:4 #状態 1:未払 2:支払済 3:一部 4:取消', 'issued_at datetime #発行日時', ...TS],
    keys: { idx_invoices_moving: ['moving_id'], idx_invoices_tenant: ['tenant_id'], idx_invoices_due: ['due_date'] },
  },
  jobs: {
    n: 'empty', comment: 'キュー',
    columns: ['id bigint unsigned AI', 'queue varchar(255) NN', 'payload longtext NN', 'attempts tinyint unsigned NN', 'reserved_at int unsigned', 'available_at int unsigned NN', 'created_at int unsigned NN'],
    keys: { jobs_queue_index: ['queue'] },
  },
  key_histories: {
    n: 'x:movings:2', comment: '鍵受け渡し履歴',
    columns: ['id int unsigned AI', 'key_id int unsigned NN', 'moving_id int unsigned', 'action tinyint NN ~code:3 #1:貸出 2:返却 3:紛失', 'handled_by int unsigned ~fk:admin_users', 'handled_at datetime NN', ...TS],
    keys: { idx_key_histories_key: ['key_id'] },
  },
  keys: {
    n: 'x:rooms:2', comment: '鍵',
    columns: ['id int unsigned AI', 'room_id int unsigned NN', 'key_number varchar(20) NN ~code #鍵番号', 'key_type tinyint NN ~code:3 #1:部屋 2:玄関 3:ポスト', 'status tinyint NN =1 ~code:3', ...TS],
    keys: { idx_keys_room: ['room_id'] },
  },
};
