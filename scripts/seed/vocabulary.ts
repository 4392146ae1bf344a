/**
 * Small built-in word lists: enough variety for names, addresses and record
 * texts that read like real registers, with nothing fetched at run time.
 */

export interface Division {
  /** Six-digit administrative division code (positions 3–8 of a USCC, 1–6 of a resident ID). */
  code: string;
  city: string;
  district: string;
  /** One-character province abbreviation used in case and decision numbers. */
  abbreviation: string;
  streets: readonly string[];
}

export const DIVISIONS: readonly Division[] = [
  { code: '110105', city: '北京市', district: '朝阳区', abbreviation: '京', streets: ['建国路', '朝阳北路', '望京街', '酒仙桥路'] },
  { code: '110108', city: '北京市', district: '海淀区', abbreviation: '京', streets: ['中关村大街', '学院路', '知春路', '上地十街'] },
  { code: '310115', city: '上海市', district: '浦东新区', abbreviation: '沪', streets: ['世纪大道', '张江路', '川沙路', '金桥路'] },
  { code: '310104', city: '上海市', district: '徐汇区', abbreviation: '沪', streets: ['漕溪北路', '虹梅路', '龙华中路'] },
  { code: '440305', city: '深圳市', district: '南山区', abbreviation: '粤', streets: ['深南大道', '科技园路', '南海大道'] },
  { code: '440106', city: '广州市', district: '天河区', abbreviation: '粤', streets: ['天河路', '黄埔大道', '中山大道'] },
  { code: '330106', city: '杭州市', district: '西湖区', abbreviation: '浙', streets: ['文三路', '古墩路', '西溪路'] },
  { code: '320583', city: '苏州市', district: '昆山市', abbreviation: '苏', streets: ['前进路', '长江路', '玉山路'] },
  { code: '510107', city: '成都市', district: '武侯区', abbreviation: '川', streets: ['人民南路', '武侯大道', '科华北路'] },
  { code: '420106', city: '武汉市', district: '武昌区', abbreviation: '鄂', streets: ['中北路', '友谊大道', '武珞路'] },
  { code: '350102', city: '福州市', district: '鼓楼区', abbreviation: '闽', streets: ['五四路', '杨桥路', '湖东路'] },
  { code: '370202', city: '青岛市', district: '市南区', abbreviation: '鲁', streets: ['香港中路', '山东路', '南京路'] },
  { code: '610113', city: '西安市', district: '雁塔区', abbreviation: '陕', streets: ['长安南路', '科技路', '雁塔路'] },
  { code: '500112', city: '重庆市', district: '渝北区', abbreviation: '渝', streets: ['金开大道', '龙溪路', '新牌坊路'] },
  { code: '430104', city: '长沙市', district: '岳麓区', abbreviation: '湘', streets: ['麓山路', '枫林路', '岳麓大道'] },
  { code: '410105', city: '郑州市', district: '金水区', abbreviation: '豫', streets: ['花园路', '经三路', '农业路'] },
];

export const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔向汤';
export const GIVEN_NAMES = [
  '伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞',
  '平', '刚', '桂英', '建华', '建国', '志强', '海燕', '晓东', '文博', '子涵', '思远', '国栋', '红梅', '玉兰', '振华', '立新',
  '春生', '永刚', '丽娟', '海峰', '雪', '鹏', '婷', '浩然', '宇航', '佳怡', '欣怡', '俊杰', '德明', '淑珍',
];

/** Trade-name characters (字号). */
export const TRADE_CHARACTERS = '华盛鑫瑞丰泰宏达信诚恒通嘉德金源博远安康海天启明新创中联汇兴隆昌富荣祥永广宝益和正鸿润腾飞佳美东方';

export interface Industry {
  /** Word in the enterprise name. */
  word: string;
  scope: string;
  /** Discharges pollutants: rated by the environment authority and needs a discharge permit. */
  polluting: boolean;
  pollutants?: readonly string[];
}

export const INDUSTRIES: readonly Industry[] = [
  { word: '科技', scope: '技术开发、技术咨询、技术服务；软件开发；信息系统集成服务', polluting: false },
  { word: '贸易', scope: '日用百货、五金交电、机械设备的批发与零售；货物进出口', polluting: false },
  { word: '建筑工程', scope: '房屋建筑工程施工；市政公用工程施工；建筑装饰装修工程', polluting: false },
  { word: '食品', scope: '食品生产；食品经营；预包装食品销售', polluting: false },
  { word: '餐饮管理', scope: '餐饮服务；餐饮管理；食品经营', polluting: false },
  { word: '物流', scope: '道路货物运输；仓储服务；国内货物运输代理', polluting: false },
  { word: '咨询', scope: '企业管理咨询；市场营销策划；会议及展览服务', polluting: false },
  { word: '房地产开发', scope: '房地产开发经营；物业管理', polluting: false },
  { word: '化工', scope: '化工产品生产与销售（不含危险化学品）；化工原料销售', polluting: true, pollutants: ['化学需氧量', '氨氮', '挥发性有机物'] },
  { word: '机械制造', scope: '通用设备制造；机械零部件加工；金属表面处理', polluting: true, pollutants: ['颗粒物', '挥发性有机物'] },
  { word: '印染', scope: '纺织品印染加工；服装面料生产', polluting: true, pollutants: ['化学需氧量', '氨氮', '总氮'] },
  { word: '制药', scope: '药品生产；原料药制造；医药中间体研发', polluting: true, pollutants: ['化学需氧量', '挥发性有机物'] },
  { word: '建材', scope: '水泥制品、商品混凝土生产与销售', polluting: true, pollutants: ['颗粒物', '二氧化硫', '氮氧化物'] },
  { word: '电镀', scope: '金属电镀加工；表面处理', polluting: true, pollutants: ['总铬', '总镍', '化学需氧量'] },
  { word: '造纸', scope: '纸制品制造；纸浆生产', polluting: true, pollutants: ['化学需氧量', '氨氮', '二氧化硫'] },
];

export const SHOP_TYPES = ['便利店', '面馆', '五金店', '理发店', '水果店', '汽车修理部', '服装店', '早餐店', '文具店', '家电维修部'];
export const COOPERATIVE_PRODUCTS = ['蔬菜种植', '水果种植', '茶叶', '生猪养殖', '水产养殖', '农机服务', '花卉苗木'];
export const SOCIAL_FIELDS = ['软件行业协会', '餐饮行业协会', '物流协会', '青年企业家商会', '书法家协会', '慈善基金会', '职业技能培训中心'];

export const LICENCES = [
  { name: '食品经营许可证', content: '预包装食品销售；散装食品销售' },
  { name: '道路运输经营许可证', content: '道路普通货物运输' },
  { name: '建筑业企业资质证书', content: '建筑工程施工总承包三级' },
  { name: '工业产品生产许可证', content: '电线电缆生产' },
  { name: '公共场所卫生许可证', content: '美容美发场所' },
  { name: '医疗器械经营许可证', content: '第三类医疗器械经营' },
];

/** Market penalties by area; `serious` ones are the kind that reach the black list. */
export const MARKET_VIOLATIONS = [
  { area: 'FOOD_AND_DRUG', violation: '经营超过保质期的食品', basis: '《中华人民共和国食品安全法》第一百二十四条第一款' },
  { area: 'FOOD_AND_DRUG', violation: '未取得食品经营许可从事食品经营活动', basis: '《中华人民共和国食品安全法》第一百二十二条' },
  { area: 'PRODUCT_QUALITY', violation: '销售不合格产品', basis: '《中华人民共和国产品质量法》第五十条' },
  { area: 'ADVERTISING', violation: '发布虚假广告', basis: '《中华人民共和国广告法》第五十五条' },
  { area: 'PRICE', violation: '不按规定明码标价', basis: '《中华人民共和国价格法》第四十二条' },
  { area: 'SPECIAL_EQUIPMENT', violation: '使用未经定期检验的特种设备', basis: '《中华人民共和国特种设备安全法》第八十四条' },
  { area: 'UNFAIR_COMPETITION', violation: '实施虚假宣传的不正当竞争行为', basis: '《中华人民共和国反不正当竞争法》第二十条' },
];

export const ABNORMAL_REASONS = ['未按规定期限公示年度报告', '通过登记的住所或者经营场所无法联系', '公示企业信息隐瞒真实情况、弄虚作假', '未在责令的期限内公示有关企业信息'];
export const ABNORMAL_REMOVAL_REASONS = ['补报未报年份的年度报告并公示', '依法办理住所变更登记', '更正其公示的信息', '通过登记的住所可以重新取得联系'];
export const SERIOUS_LIST_REASONS = ['提交虚假材料或者采取其他欺诈手段隐瞒重要事实，取得公司登记', '因食品安全违法行为受到较重行政处罚', '拒不履行生效的行政处罚决定'];
export const SERIOUS_VIA_ABNORMAL = '被列入经营异常名录届满3年仍未履行相关义务';

export const SPOT_CHECK_MATTERS = ['企业公示信息抽查', '食品经营单位监督检查', '产品质量监督抽查', '广告发布行为检查', '特种设备使用单位检查'];

export const TAX_VIOLATIONS = [
  { nature: 'TAX_EVASION', facts: '采取虚假申报手段，不缴或者少缴增值税、企业所得税' },
  { nature: 'FALSE_INVOICING', facts: '虚开增值税专用发票' },
  { nature: 'TAX_FRAUD', facts: '骗取国家出口退税款' },
  { nature: 'TAX_ARREARS_EVASION', facts: '欠缴应纳税款，采取转移或者隐匿财产的手段，妨碍税务机关追缴欠缴的税款' },
] as const;
export const TAX_TYPES = ['增值税', '企业所得税', '城市维护建设税', '房产税', '城镇土地使用税', '印花税'];

export const OBLIGATIONS = ['支付货款及逾期付款利息', '偿还借款本金及利息', '支付工程款', '支付劳动报酬', '支付租金及违约金', '返还定金'];
export const DISHONEST_CONDUCTS = ['有履行能力而拒不履行生效法律文书确定义务', '违反财产报告制度', '违反限制消费令', '以伪造证据、暴力、威胁等方法妨碍、抗拒执行'];

export const ENVIRONMENT_VIOLATIONS = [
  { violation: '超过大气污染物排放标准排放大气污染物', basis: '《中华人民共和国大气污染防治法》第九十九条', serious: false },
  { violation: '未按照排污许可证规定管理台账', basis: '《排污许可管理条例》第三十七条', serious: false },
  { violation: '通过暗管、渗井等逃避监管的方式排放水污染物', basis: '《中华人民共和国水污染防治法》第八十三条', serious: true },
  { violation: '篡改、伪造自动监测数据', basis: '《中华人民共和国环境保护法》第六十三条', serious: true },
  { violation: '未依法进行环境影响评价擅自开工建设', basis: '《中华人民共和国环境影响评价法》第三十一条', serious: false },
];
