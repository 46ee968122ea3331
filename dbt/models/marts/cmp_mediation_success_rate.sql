-- 调解成功率: 调解成功数 / 调解纠纷数. Mediation success rate: disputes settled / disputes mediated.
{{ rate_comparison('mediation.success_rate', 'mediation.succeeded', ['mediation.disputes']) }}
