// SPDX-License-Identifier: GPL-2.0
/* s2s: route-based IPsec site-to-site links - module init and exit. */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include <linux/s2s.h>

#include "esp.h"
#include "ike.h"
#include "s2s.h"
#include "sa.h"

static int __init s2s_init(void)
{
	int err;

	err = s2s_esp_req_init();
	if (err)
		goto err_esp;

	err = s2s_sa_init();
	if (err)
		goto err_sa;

	err = s2s_par_init();
	if (err)
		goto err_par;

	err = s2s_device_init();
	if (err)
		goto err_device;

	err = s2s_receive_init();
	if (err)
		goto err_receive;

	s2s_pending_init();

	err = s2s_ike_init();
	if (err)
		goto err_ike;

	err = s2s_genl_init();
	if (err)
		goto err_genl;

	return 0;

err_genl:
	s2s_ike_uninit();
err_ike:
	s2s_pending_uninit();
	s2s_receive_uninit();
err_receive:
	s2s_device_uninit();
err_device:
	s2s_par_uninit();
err_par:
	s2s_sa_uninit();
err_sa:
	s2s_esp_req_uninit();
err_esp:
	return err;
}

static void __exit s2s_exit(void)
{
	s2s_genl_uninit();
	s2s_ike_uninit();
	s2s_pending_uninit();
	s2s_receive_uninit();
	s2s_device_uninit();
	s2s_par_uninit();
	s2s_sa_uninit();
	s2s_esp_req_uninit();
}

module_init(s2s_init);
module_exit(s2s_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Route-based IPsec (ESP tunnel mode) site-to-site links");
MODULE_VERSION(S2S_VERSION);
MODULE_ALIAS_RTNL_LINK(S2S_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(S2S_FAMILY_NAME);
